using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Devices;

/// <summary>
/// A block of memory covering consecutive LMB connectors: a DIMM (QEMU), an assignment of LMBs
/// (PowerVM) or boot memory that is DR-capable (PowerVM). It is removed when its last LMB is released.
/// </summary>
public sealed class MemoryDevice(string id, DeviceOrigin origin, ulong address, ulong size, int node, uint firstLmbIndex) : EmulatedDevice(id, origin)
{
    public ulong Address { get; } = address;

    public ulong Size { get; } = size;

    public int Node { get; } = node;

    public uint FirstLmbIndex { get; } = firstLmbIndex;

    public int LmbCount => (int)(Size / MachineProfile.LmbSize);

    /// <summary>LMB connectors still attached (QEMU's <c>nr_lmbs</c> countdown during unplug).</summary>
    public int AttachedLmbs { get; set; }

    public IEnumerable<uint> LmbIndexes => Enumerable.Range(0, LmbCount).Select(i => FirstLmbIndex + (uint)i);

    public override string Describe() => $"memory {MachineProfile.Size(Size)} at 0x{Address:x} (node {Node})";
}
