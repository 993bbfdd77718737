namespace DlparAgent.Core.Inventory;

/// <summary>What a connector holds, from its DRC type.</summary>
public enum ConnectorKind
{
    Cpu,
    Memory,
    Pci,
    Phb,
    Slot,
    Pmem,
    Port,
    Other,
}
