using System.Globalization;

namespace DlparAgent.Linux.Kernel;

/// <summary>The kernel's CPU list format (<c>/sys/devices/system/cpu/present</c>): <c>0-3,8,10-11</c>.</summary>
public static class CpuList
{
    /// <summary>The CPU numbers the list names; null when the text is not a CPU list.</summary>
    public static IReadOnlySet<int>? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cpus = new HashSet<int>();
        foreach (string part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] bounds = part.Split('-');
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || last < first || last - first > 65_536)
            {
                return null;
            }

            for (int cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return cpus;
    }
}
