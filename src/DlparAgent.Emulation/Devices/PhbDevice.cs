namespace DlparAgent.Emulation.Devices;

/// <summary>A PCI host bridge, <c>pci@800000020000000 + index</c>, with its own PCI connectors.</summary>
public sealed class PhbDevice(string id, DeviceOrigin origin, int index) : EmulatedDevice(id, origin)
{
    public const ulong BuidBase = 0x800000020000000;

    public int Index { get; } = index;

    public ulong Buid => BuidBase + (ulong)Index;

    public override string Describe() => $"PHB {Index} (pci@{Buid:x})";
}
