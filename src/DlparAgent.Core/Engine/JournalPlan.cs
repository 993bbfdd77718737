using System.Globalization;
using System.Text;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>
/// The text of a plan record: the direction, then the connectors in the order the operation will
/// try them, as runs of consecutive indexes (<c>add 80000008+4096 80002000</c>), so that a plan of
/// a quarter of a million LMBs stays one short line.
/// </summary>
public static class JournalPlan
{
    public static string Format(DlparAction direction, IReadOnlyList<uint> indexes)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        var text = new StringBuilder(direction == DlparAction.Remove ? "remove" : "add");
        for (int i = 0; i < indexes.Count;)
        {
            int run = 1;
            while (i + run < indexes.Count && indexes[i + run] == indexes[i] + (uint)run)
            {
                run++;
            }

            text.Append(CultureInfo.InvariantCulture, $" {indexes[i]:x8}");
            if (run > 1)
            {
                text.Append(CultureInfo.InvariantCulture, $"+{run}");
            }

            i += run;
        }

        return text.ToString();
    }

    /// <returns>Null when the text is not a plan (a damaged record).</returns>
    public static (DlparAction Direction, uint[] Indexes)? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0] is not ("add" or "remove"))
        {
            return null;
        }

        var indexes = new List<uint>();
        foreach (string word in words.AsSpan(1))
        {
            string[] parts = word.Split('+');
            if (parts.Length > 2
                || !uint.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint first)
                || !int.TryParse(parts.Length == 2 ? parts[1] : "1", NumberStyles.None, CultureInfo.InvariantCulture, out int run)
                || run < 1 || first + (ulong)run - 1 > uint.MaxValue)
            {
                return null;
            }

            for (int k = 0; k < run; k++)
            {
                indexes.Add(first + (uint)k);
            }
        }

        return (words[0] == "remove" ? DlparAction.Remove : DlparAction.Add, [.. indexes]);
    }
}
