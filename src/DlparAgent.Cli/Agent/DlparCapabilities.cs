using DlparAgent.Core.Kernel;

namespace DlparAgent.Cli.Agent;

/// <summary>One DLPAR capability: drmgr's <c>-C</c> key, a label, and whether this partition has it.</summary>
internal sealed record DlparCapability(string Key, string Label, bool Supported);

/// <summary>The capabilities <c>drmgr -C</c> and <c>dlpar capabilities</c> report, in drmgr's order.</summary>
internal static class DlparCapabilities
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859",
        Justification = "Written against the interface: the Linux backend's kernel comes next.")]
    public static IReadOnlyList<DlparCapability> Of(IGuestKernel kernel) =>
    [
        new("cpu_dlpar", "CPU DLPAR", kernel.ReadCpuThreads().Count > 0),
        new("mem_dlpar", "memory DLPAR", kernel.ReadMemoryBlockSize() > 0),
        new("slot_dlpar", "I/O DLPAR", true),
        new("phb_dlpar", "PHB DLPAR", true),
        new("hea_dlpar", "HEA DLPAR", false),
        new("pmig", "partition migration", false),
        new("cpu_entitlement", "CPU entitlement", false),
        new("mem_entitlement", "memory entitlement", false),
        new("slb_resize", "SLB resize", false),
        new("phib", "hibernation", false),
    ];
}
