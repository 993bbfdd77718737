namespace DlparAgent.Core.Kernel;

/// <summary>
/// <c>/proc/powerpc/lparcfg</c> (<see cref="KernelWrites.Lparcfg"/>): a version line, then
/// <c>key=value</c> lines. drmgr <c>-C</c> reports the entitlement and SLB capabilities by which
/// keys are present; a kernel without <c>CONFIG_LPARCFG</c> (Debian's) has no file at all.
/// </summary>
public static class Lparcfg
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values.TryAdd(line[..equals].Trim(), line[(equals + 1)..].Trim());
            }
        }

        return values;
    }
}
