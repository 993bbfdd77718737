using System.Globalization;

namespace DlparAgent.Core.Requests;

/// <summary>One resource a PRRN event moved: a CPU or an LMB by DRC index.</summary>
public sealed record PrrnEntry(DlparResource Resource, uint Index);

/// <summary>
/// The file rtas_errd writes for <c>drmgr -P</c> after a PRRN event: one line per resource,
/// <c>mem</c> or <c>cpu</c>, a space, and the DRC index in hex without <c>0x</c> (at most 8 digits).
/// Lines that are not of that form are reported with their number and skipped, as drmgr skips them.
/// </summary>
public static class PrrnFile
{
    public static (IReadOnlyList<PrrnEntry> Entries, IReadOnlyList<string> Problems) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<PrrnEntry>();
        var problems = new List<string>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string[] words = lines[i].Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            // rtas_errd writes drmgr's -c words; a PRRN event names only CPUs and LMBs.
            DlparResource? resource = Resources.ResourceTable.ByDrmgrWord(words[0])?.Resource is { } named
                && named is DlparResource.Cpu or DlparResource.Memory ? named : null;
            string digits = words.ElementAtOrDefault(1) ?? string.Empty;
            digits = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? digits[2..] : digits;
            if (resource is null)
            {
                problems.Add($"line {i + 1}: Device type \"{Printable(words[0])}\" not recognized.");
            }
            else if (words.Length != 2 || digits.Length is 0 or > 8
                || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint index))
            {
                problems.Add($"line {i + 1}: \"{Printable(lines[i].TrimEnd('\r'))}\" is not '{words[0]} <DRC index in hex>'");
            }
            else
            {
                entries.Add(new PrrnEntry(resource.Value, index));
            }
        }

        return (entries, problems);
    }

    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
