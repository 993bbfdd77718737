using System.Globalization;
using System.Text;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Ofdt;

namespace DlparAgent.Core.Kernel;

/// <summary>
/// A line protocol over <see cref="IGuestKernel"/>, as <c>RtasConsole</c> is over firmware: a
/// script writes the kernel's DLPAR files directly and reads each write's errno, so the same
/// sequence can be replayed on Linux and on the emulated kernel and compared.
/// </summary>
/// <remarks>
/// Lines: <c>dlpar TEXT</c> (<c>/sys/kernel/dlpar</c>), <c>ofdt TEXT</c> (<c>/proc/powerpc/ofdt</c>),
/// <c>memory N online|offline</c>, <c>cpu N online|offline</c>, and <c>property PATH</c> (a device-tree
/// property's bytes in hex). TEXT is written as given, with <c>\n</c>, <c>\\</c> and <c>\xHH</c>
/// escapes. Answers: <c>0</c>, the errno's name (<c>EINVAL</c>), <c>0 HEX</c> for a property, or
/// <c>error: reason</c> for a line that is not understood.
/// </remarks>
public sealed class KernelConsole(IGuestKernel kernel)
{
    /// <summary>Runs one line; its answer, or null for a blank line or a <c>#</c> comment.</summary>
    public string? Execute(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string trimmed = line.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] == '#')
        {
            return null;
        }

        int space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        string verb = space < 0 ? trimmed : trimmed[..space];
        string rest = space < 0 ? string.Empty : trimmed[(space + 1)..];
        try
        {
            return verb switch
            {
                "dlpar" => Answer(() => kernel.WriteDlpar(Encoding.Latin1.GetString(Unescape(rest)))),
                "ofdt" => Answer(() => kernel.WriteOfdt(OfdtCodec.Decode(Unescape(rest)))),
                "memory" => OnlineState(rest, kernel.SetMemoryBlockOnline),
                "cpu" => OnlineState(rest, kernel.SetCpuOnline),
                "property" => Property(rest.Trim()),
                _ => throw new FormatException($"unknown verb '{verb}' (dlpar, ofdt, memory, cpu, property)"),
            };
        }
        catch (FormatException error)
        {
            return $"error: {error.Message}";
        }
        catch (DlparFormatException error)
        {
            // The kernel refuses an ofdt write it cannot parse with EINVAL, as reconfig.c does.
            return verb == "ofdt" ? nameof(Errno.EINVAL) : $"error: {error.Message}";
        }
    }

    private static string Answer(Action write)
    {
        try
        {
            write();
            return "0";
        }
        catch (KernelException error)
        {
            return error.Errno.ToString();
        }
    }

    private static string OnlineState(string arguments, Action<int, bool> set)
    {
        string[] words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 2 || !int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            || words[1] is not ("online" or "offline"))
        {
            throw new FormatException("expected a number and online or offline");
        }

        return Answer(() => set(number, words[1] == "online"));
    }

    private string Property(string path)
    {
        int slash = path.LastIndexOf('/');
        if (slash < 0 || slash == path.Length - 1)
        {
            throw new FormatException("expected a property's path, e.g. /ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2");
        }

        DtNode root = kernel.ReadDeviceTree();
        DtNode? node = slash == 0 ? root : root.Find(path[..slash]);
        DtProperty? property = node?.GetProperty(path[(slash + 1)..]);
        return property is null ? nameof(Errno.ENOENT) : ("0 " + Convert.ToHexStringLower(property.Value)).TrimEnd();
    }

    /// <summary>The text's bytes with <c>\n</c>, <c>\\</c> and <c>\xHH</c> escapes resolved.</summary>
    private static byte[] Unescape(string text)
    {
        var bytes = new List<byte>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c > 0xff)
            {
                throw new FormatException($"character U+{(int)c:X4} at {i} is not a byte; write it as \\xHH");
            }

            if (c != '\\')
            {
                bytes.Add((byte)c);
                continue;
            }

            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (next == 'n' || next == '\\')
            {
                bytes.Add(next == 'n' ? (byte)'\n' : (byte)'\\');
                i++;
            }
            else if (next == 'x' && i + 3 < text.Length
                && byte.TryParse(text.AsSpan(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
            {
                bytes.Add(value);
                i += 3;
            }
            else
            {
                throw new FormatException($"bad escape at {i}: use \\n, \\\\ or \\xHH");
            }
        }

        return [.. bytes];
    }
}
