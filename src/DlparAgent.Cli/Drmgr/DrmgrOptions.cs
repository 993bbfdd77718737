using System.Globalization;
using DlparAgent.Core.Formats;

namespace DlparAgent.Cli.Drmgr;

/// <summary>
/// drmgr's command line as getopt reads <c>"ac:d:Iimnp:P:Qq:Rrs:w:t:hCVH"</c> with the long options
/// <c>--capabilities</c> and <c>--help</c>: bundled flags (<c>-aq4</c>), attached values
/// (<c>-d4</c>), stray positional words tolerated. Unlike drmgr, an unknown option is an error.
/// </summary>
internal sealed record DrmgrOptions
{
    private const string WithValue = "cdpPqswt";
    private const string Flags = "aiImnQRrhCVH";

    public string? ConnectorType { get; private set; }

    /// <summary>The action letters given, in order (a, r, R, i, Q, m).</summary>
    public List<char> Actions { get; } = [];

    public string? Quantity { get; private set; }

    public string? Selector { get; private set; }

    public string? POption { get; private set; }

    public string? PrrnFile { get; private set; }

    public int? TimeoutMinutes { get; private set; }

    public int DetailLevel { get; private set; } = 1;

    public bool NoPrompt { get; private set; }

    public bool NoIdentify { get; private set; }

    public bool Virtio { get; private set; }

    public bool HotplugOnly { get; private set; }

    public bool Help { get; private set; }

    public bool Capabilities { get; private set; }

    public string? TOption { get; private set; }

    public bool Empty { get; private set; }

    /// <summary>Parses; throws <see cref="FormatException"/> with drmgr-style text for anything it cannot take.</summary>
    public static DrmgrOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DrmgrOptions { Empty = args.Count == 0 };
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--capabilities")
            {
                options.Capabilities = true;
                continue;
            }

            if (arg == "--help")
            {
                options.Help = true;
                return options;
            }

            if (arg.Length < 2 || arg[0] != '-' || arg == "--")
            {
                // drmgr's getopt would permute it away unread; a word nobody reads is more likely a mistake (as lsslot says too).
                throw new FormatException($"unexpected argument '{Printable(arg)}'");
            }

            for (int k = 1; k < arg.Length; k++)
            {
                char letter = arg[k];
                if (WithValue.Contains(letter))
                {
                    string value = k + 1 < arg.Length ? arg[(k + 1)..]
                        : i + 1 < args.Count ? args[++i]
                        : throw new FormatException($"Option '-{letter}' requires a value");
                    options.Set(letter, value);
                    break;
                }

                if (!Flags.Contains(letter))
                {
                    throw new FormatException($"Invalid option specified '{letter}'");
                }

                options.Set(letter, null);
                if (options.Help)
                {
                    return options;
                }
            }
        }

        return options;
    }

    /// <summary><c>-s</c>: a <c>0x</c> value is an index (cpu, mem, pci, phb); anything else a name.</summary>
    public (uint? Index, string? Name) SelectorTarget(bool indexAllowed)
    {
        if (Selector is null)
        {
            return (null, null);
        }

        if (Selector.Any(char.IsControl))
        {
            throw new FormatException($"'{Printable(Selector)}' is not a connector: a DRC name or index holds no control characters");
        }

        if (indexAllowed && Selector.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return CNumber.TryParseU32(Selector, out uint index)
                ? (index, null)
                : throw new FormatException($"'{Selector}' is not a valid DRC index");
        }

        return Selector.Length > 0 ? (null, Selector) : throw new FormatException("an empty -s names no connector");
    }

    /// <summary><c>-q</c>: 1 to 2147483647 (drmgr keeps it in an int); a larger value is refused, not clamped.</summary>
    public uint QuantityValue() => Quantity is null ? 1
        : CNumber.TryParseU32(Quantity, out uint count) && count is > 0 and <= int.MaxValue ? count
        : throw new FormatException($"'{Printable(Quantity)}' is not a valid quantity (1 to {int.MaxValue})");

    private static string Printable(string word) => DrmgrLog.Printable(word);

    private void Set(char letter, string? value)
    {
        switch (letter)
        {
            case 'c': ConnectorType = value; break;
            case 'a' or 'r' or 'R' or 'i' or 'Q' or 'm': Actions.Add(letter); break;
            case 'q': Quantity = value; break;
            case 's': Selector = value; break;
            case 'p': POption = value; break;
            case 'P': PrrnFile = value; break;
            case 't': TOption = value; break;
            case 'w':
                TimeoutMinutes = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int minutes) && minutes >= 0
                    ? minutes
                    : throw new FormatException($"'{value}' is not a number of minutes");
                break;
            case 'd':
                DetailLevel = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int level)
                    ? level
                    : throw new FormatException($"'{value}' is not a detail level");
                break;
            case 'n': NoPrompt = true; break;
            case 'I': NoIdentify = true; break;
            case 'V': Virtio = true; break;
            case 'H': HotplugOnly = true; break;
            case 'h': Help = true; break;
            case 'C': Capabilities = true; break;
        }
    }
}
