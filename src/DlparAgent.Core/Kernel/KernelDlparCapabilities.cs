namespace DlparAgent.Core.Kernel;

/// <summary>
/// What <c>/sys/kernel/dlpar</c> advertises. drmgr's rule: absent file → nothing; present but
/// unreadable (old write-only kernels) → memory only; readable → the listed resources.
/// </summary>
public sealed record KernelDlparCapabilities(bool Present, bool Memory, bool Cpu, bool DeviceTree)
{
    public static readonly KernelDlparCapabilities None = new(false, false, false, false);

    /// <summary>Reads the file's content (<c>memory,cpu,dt</c>), or null for an unreadable file.</summary>
    public static KernelDlparCapabilities FromContent(string? content)
    {
        if (content is null)
        {
            return new KernelDlparCapabilities(true, true, false, false);
        }

        string[] words = content.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new KernelDlparCapabilities(true, words.Contains("memory"), words.Contains("cpu"), words.Contains("dt"));
    }

    /// <summary>
    /// Only what <paramref name="allowed"/> (<c>memory,cpu,dt</c> words; empty: nothing) also names,
    /// so that an administrator or a test can keep the agent on its own userspace path.
    /// </summary>
    public KernelDlparCapabilities Limit(string allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        string[] words = allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return this with
        {
            Memory = Memory && words.Contains("memory"),
            Cpu = Cpu && words.Contains("cpu"),
            DeviceTree = DeviceTree && words.Contains("dt"),
            MemoryWithheld = MemoryWithheld || (Memory && !words.Contains("memory")),
        };
    }

    /// <summary>
    /// The kernel offers memory DLPAR but <see cref="Limit"/> kept the agent off it. Such a kernel
    /// keeps its own LMB table (Linux's drmem): it neither learns of LMBs changed behind it nor drops
    /// a removed LMB's memory sections when the device tree says so (since 5.9).
    /// </summary>
    public bool MemoryWithheld { get; init; }

    /// <summary>The content a kernel with these capabilities prints.</summary>
    public string Content => string.Join(',', new[] { (Memory, "memory"), (Cpu, "cpu"), (DeviceTree, "dt") }.Where(c => c.Item1).Select(c => c.Item2));
}
