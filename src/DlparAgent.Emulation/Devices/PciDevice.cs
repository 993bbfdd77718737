namespace DlparAgent.Emulation.Devices;

/// <summary>One PCI function in a PHB's root-bus slot.</summary>
public sealed class PciDevice(string id, DeviceOrigin origin, int phb, int slot, int function, PciModel model) : EmulatedDevice(id, origin)
{
    public int Phb { get; } = phb;

    public int Slot { get; } = slot;

    public int Function { get; } = function;

    public PciModel Model { get; } = model;

    public int DevFn => (Slot << 3) | Function;

    public override string Describe() => $"{Model.Name} at PHB {Phb} slot {Slot} function {Function}";
}
