using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>
/// What the emulated Linux guest holds: its device tree, logical CPUs, memory blocks, the DLPAR
/// features it offers, and the rtasd error-log ring the event service reads.
/// </summary>
public sealed class KernelState
{
    /// <summary>rtasd's ring size (LOG_NUMBER).</summary>
    public const int ErrorLogCapacity = 64;

    public KernelState(DtNode tree, KernelFeatures features)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(features);
        Tree = tree;
        Features = features;
    }

    public DtNode Tree { get; set; }

    public KernelFeatures Features { get; }

    /// <summary>Logical CPUs by number.</summary>
    public SortedDictionary<int, CpuThread> Cpus { get; } = [];

    /// <summary>Memory blocks by number (address / block size).</summary>
    public Dictionary<int, MemoryBlock> MemoryBlocks { get; } = [];

    /// <summary>DRC names added through rpadlpar's add_slot.</summary>
    public SortedSet<string> DlparSlots { get; } = new(StringComparer.Ordinal);

    /// <summary>PCI devices by device-tree path.</summary>
    public SortedSet<string> PciDevices { get; } = new(StringComparer.Ordinal);

    /// <summary>Records for <c>/proc/powerpc/rtas/error_log</c>: sequence number and event log.</summary>
    public List<(int Sequence, byte[] Log)> ErrorLog { get; } = [];

    public int NextErrorSequence { get; set; } = 1;

    public uint NextPhandle { get; set; } = 0x10000;

    /// <summary>What the guest was asked to do by EPOW events (e.g. <c>poweroff</c>), newest last.</summary>
    public List<string> PowerRequests { get; } = [];

    public void LogError(byte[] log)
    {
        ErrorLog.Add((NextErrorSequence++, log));
        if (ErrorLog.Count > ErrorLogCapacity)
        {
            ErrorLog.RemoveAt(0); // a full ring overwrites its oldest record
        }
    }
}
