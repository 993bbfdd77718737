namespace DlparAgent.Emulation.Devices;

/// <summary>An NVDIMM in a memory slot (QEMU: plug only; unplug is not supported).</summary>
public sealed class PmemDevice(string id, DeviceOrigin origin, int slot, ulong size) : EmulatedDevice(id, origin)
{
    public int Slot { get; } = slot;

    public ulong Size { get; } = size;

    public override string Describe() => $"pmem slot {Slot} ({Machine.MachineProfile.Size(Size)})";
}
