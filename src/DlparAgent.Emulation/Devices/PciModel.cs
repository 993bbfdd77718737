namespace DlparAgent.Emulation.Devices;

/// <summary>
/// A PCI function's identity as QEMU 7.2 presents it: ids, class, the node name its class gives,
/// its QEMU device name, its BARs, its MSI-X vectors, and the cache-line size its realize sets
/// (values read from QEMU's own configure-connector fragments).
/// </summary>
public sealed record PciModel(string Name, ushort VendorId, ushort DeviceId, uint ClassCode, ushort SubsystemVendorId, ushort SubsystemId, byte Revision,
    string NodeName)
{
    public static readonly PciModel E1000 = new("e1000", 0x8086, 0x100E, 0x020000, 0x1AF4, 0x1100, 0x03, "ethernet")
    {
        Bars = [new(0x10, PciSpace.Memory32, 0x20000), new(0x14, PciSpace.Io, 0x40)],
        RealizeCacheLineSize = 0x10,
    };

    public static readonly PciModel VirtioNet = new("virtio-net-pci", 0x1AF4, 0x1000, 0x020000, 0x1AF4, 0x0001, 0x00, "ethernet")
    {
        Bars = [new(0x10, PciSpace.Io, 0x20), new(0x14, PciSpace.Memory32, 0x1000), new(0x20, PciSpace.Memory64, 0x4000)],
        MsixVectors = 4,
    };

    public static readonly PciModel VirtioScsi = new("virtio-scsi-pci", 0x1AF4, 0x1004, 0x010000, 0x1AF4, 0x0008, 0x00, "scsi")
    {
        Bars = [new(0x10, PciSpace.Io, 0x40), new(0x14, PciSpace.Memory32, 0x1000), new(0x20, PciSpace.Memory64, 0x4000)],
        MsixVectors = 4,
    };

    public static IReadOnlyList<PciModel> Known { get; } = [E1000, VirtioNet, VirtioScsi];

    /// <summary>The BARs, in register order; each becomes an entry of the node's <c>reg</c> after the config-space one.</summary>
    public IReadOnlyList<PciBar> Bars { get; init; } = [];

    /// <summary>MSI-X vectors (<c>ibm,req#msi-x</c>); 0 when the function has no MSI-X capability.</summary>
    public int MsixVectors { get; init; }

    /// <summary>The cache-line size register as the device's realize leaves it (a machine reset clears it).</summary>
    public byte RealizeCacheLineSize { get; init; }

    public static PciModel? Find(string name) => Known.FirstOrDefault(m => m.Name == name || m.Name == name + "-pci");
}
