using DlparAgent.Core.Drc;

namespace DlparAgent.Core.Inventory;

/// <summary>The DRC-type → kind mapping and the words the command lines use for kinds.</summary>
public static class ConnectorKinds
{
    public static ConnectorKind Of(DrcConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return connector.Type switch
        {
            "CPU" => ConnectorKind.Cpu,
            "MEM" => ConnectorKind.Memory,
            "PHB" => ConnectorKind.Phb,
            "SLOT" => ConnectorKind.Slot,
            "PMEM" => ConnectorKind.Pmem,
            _ when connector.IsPhysicalSlot => ConnectorKind.Pci,
            _ when connector.Type.StartsWith("HEA", StringComparison.Ordinal) => ConnectorKind.Port,
            _ => ConnectorKind.Other,
        };
    }

    public static string Word(ConnectorKind kind) => kind switch
    {
        ConnectorKind.Cpu => "cpu",
        ConnectorKind.Memory => "memory",
        ConnectorKind.Pci => "pci",
        ConnectorKind.Phb => "phb",
        ConnectorKind.Slot => "slot",
        ConnectorKind.Pmem => "pmem",
        ConnectorKind.Port => "port",
        _ => "other",
    };

    /// <summary>Parses a kind word (<c>mem</c> is accepted for memory, as drmgr spells it); null when unknown.</summary>
    public static ConnectorKind? Parse(string word) => word switch
    {
        "cpu" => ConnectorKind.Cpu,
        "memory" or "mem" => ConnectorKind.Memory,
        "pci" => ConnectorKind.Pci,
        "phb" => ConnectorKind.Phb,
        "slot" => ConnectorKind.Slot,
        "pmem" => ConnectorKind.Pmem,
        "port" => ConnectorKind.Port,
        "other" => ConnectorKind.Other,
        _ => null,
    };
}
