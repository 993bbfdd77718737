namespace DlparAgent.Core.Drc;

/// <summary>
/// One dynamic-reconfiguration connector as the device tree describes it. The index is opaque:
/// its type comes from <see cref="Type"/>, never from the index bits.
/// </summary>
public sealed record DrcConnector(uint Index, string Name, string Type, uint PowerDomain)
{
    /// <summary>The "live insertion" domain: the OS must not call set-power-level for it.</summary>
    public const uint LiveInsertionDomain = 0xFFFFFFFF;

    public bool HasPowerControl => PowerDomain != LiveInsertionDomain;

    /// <summary>True for PCI slot connectors, whose types are LoPAR's numeric slot types.</summary>
    public bool IsPhysicalSlot => IsPhysicalSlotType(Type);

    /// <summary>True for LoPAR's numeric slot types (PCI slots).</summary>
    public static bool IsPhysicalSlotType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Length > 0 && type.All(char.IsAsciiDigit);
    }

    public override string ToString() => $"0x{Index:x8} {Name} ({Type})";
}
