namespace DlparAgent.Emulation.Devices;

/// <summary>A PowerVM virtual I/O adapter in a VIO slot (<c>l-lan</c>, <c>v-scsi</c>, <c>vfc-client</c>).</summary>
public sealed class VioDevice(string id, DeviceOrigin origin, int slot, string model) : EmulatedDevice(id, origin)
{
    public static readonly IReadOnlyList<string> Models = ["l-lan", "v-scsi", "vfc-client"];

    public int Slot { get; } = slot;

    public string Model { get; } = model;

    public override string Describe() => $"{Model} in virtual slot {Slot}";
}
