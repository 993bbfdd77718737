namespace DlparAgent.Emulation.Devices;

/// <summary>A PCI function's identity: ids, class, the node name its class gives, and its QEMU device name.</summary>
public sealed record PciModel(string Name, ushort VendorId, ushort DeviceId, uint ClassCode, ushort SubsystemVendorId, ushort SubsystemId, byte Revision, string NodeName)
{
    public static readonly PciModel E1000 = new("e1000", 0x8086, 0x100E, 0x020000, 0x1AF4, 0x1100, 0x03, "ethernet");
    public static readonly PciModel VirtioNet = new("virtio-net-pci", 0x1AF4, 0x1000, 0x020000, 0x1AF4, 0x0001, 0x00, "ethernet");
    public static readonly PciModel VirtioScsi = new("virtio-scsi-pci", 0x1AF4, 0x1004, 0x010000, 0x1AF4, 0x0008, 0x00, "scsi");

    public static IReadOnlyList<PciModel> Known { get; } = [E1000, VirtioNet, VirtioScsi];

    public static PciModel? Find(string name) => Known.FirstOrDefault(m => m.Name == name || m.Name == name + "-pci");
}
