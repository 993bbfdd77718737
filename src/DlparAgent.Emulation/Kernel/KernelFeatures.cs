using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Resources;

namespace DlparAgent.Emulation.Kernel;

/// <summary>Which generation of Linux the emulated guest behaves like.</summary>
/// <param name="Dlpar">What <c>/sys/kernel/dlpar</c> advertises (<see cref="KernelDlparCapabilities.None"/>: no file).</param>
/// <param name="CpuProbe">Old kernels' <c>/sys/devices/system/cpu/probe</c> and <c>release</c>.</param>
/// <param name="MemoryProbe"><c>/sys/devices/system/memory/probe</c>.</param>
public sealed record KernelFeatures(KernelDlparCapabilities Dlpar, bool CpuProbe, bool MemoryProbe)
{
    /// <summary>A current kernel: memory, cpu and dt DLPAR in the kernel, memory probe present.</summary>
    public static readonly KernelFeatures Modern = new(new KernelDlparCapabilities(true, true, true, true), CpuProbe: false, MemoryProbe: true);

    /// <summary>Parses the <c>--kernel-dlpar</c> list (<c>memory,cpu,dt</c>; empty for an old kernel without the file).</summary>
    public static KernelFeatures FromList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        string[] words = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? unknown = words.FirstOrDefault(w => ResourceTable.ByKernelKeyword(w) is null);
        if (unknown is not null)
        {
            throw new ArgumentException($"'{unknown}' is not one of {string.Join(", ", KernelDlparGrammar.Resources)}");
        }

        KernelDlparCapabilities dlpar = words.Length == 0
            ? KernelDlparCapabilities.None
            : new KernelDlparCapabilities(true, words.Contains("memory"), words.Contains("cpu"), words.Contains("dt"));

        // Kernels without in-kernel CPU DLPAR had the cpu probe/release files instead.
        return new KernelFeatures(dlpar, CpuProbe: !dlpar.Cpu, MemoryProbe: true);
    }
}
