namespace DlparAgent.Core.Requests;

/// <summary>The resource a DLPAR request acts on.</summary>
public enum DlparResource
{
    Cpu,
    Memory,

    /// <summary>A PCI hotplug slot.</summary>
    Pci,
    Phb,

    /// <summary>A logical or virtual I/O slot.</summary>
    Slot,

    /// <summary>The kernel's <c>dt</c> resource: device-tree nodes for an I/O connector.</summary>
    DeviceTree,
}
