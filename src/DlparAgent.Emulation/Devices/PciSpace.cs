namespace DlparAgent.Emulation.Devices;

/// <summary>The address-space code of an Open Firmware PCI address (bits 24-25 of <c>phys.hi</c>).</summary>
public enum PciSpace
{
    Config = 0,
    Io = 1,
    Memory32 = 2,
    Memory64 = 3,
}
