namespace DlparAgent.Emulation.Machine;

/// <summary>Connector states, numbered as in LoPAR's state figure (and QEMU's migration stream).</summary>
public enum DrcState : byte
{
    LogicalUnusable = 1,
    LogicalAvailable = 2,
    LogicalUnisolate = 3,
    LogicalConfigured = 4,
    PhysicalAvailable = 5,
    PhysicalPowerOn = 6,
    PhysicalUnisolate = 7,
    PhysicalConfigured = 8,
}
