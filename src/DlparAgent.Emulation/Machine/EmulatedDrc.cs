namespace DlparAgent.Emulation.Machine;

/// <summary>
/// One connector of the emulated platform: its fixed description and its mutable state (QEMU's
/// <c>SpaprDrc</c>: state, attached device, pending unplug, dr-indicator, configure-connector cursor).
/// </summary>
public sealed class EmulatedDrc
{
    public EmulatedDrc(uint index, string name, string type, DrcKind kind, uint powerDomain, string containerPath)
    {
        Index = index;
        Name = name;
        Type = type;
        Kind = kind;
        PowerDomain = powerDomain;
        ContainerPath = containerPath;
        State = EmptyState;
    }

    public uint Index { get; }

    public string Name { get; }

    /// <summary>The <c>ibm,drc-types</c> string: CPU, MEM, PHB, 28, PMEM, SLOT.</summary>
    public string Type { get; }

    public DrcKind Kind { get; }

    public uint PowerDomain { get; }

    /// <summary>The node whose DRC properties describe this connector.</summary>
    public string ContainerPath { get; }

    public bool IsPhysical => Kind == DrcKind.Pci;

    public DrcState State { get; set; }

    public string? DeviceId { get; set; }

    public bool UnplugRequested { get; set; }

    /// <summary>Last value written to indicator 9002 (physical connectors only).</summary>
    public byte DrIndicator { get; set; }

    /// <summary>Position of the configure-connector walk in the device's fragment (tokens consumed).</summary>
    public int WalkCursor { get; set; }

    public int WalkDepth { get; set; }

    /// <summary>UNUSABLE for logical connectors, POWERON for physical ones (QEMU never powers a slot off).</summary>
    public DrcState EmptyState => IsPhysical ? DrcState.PhysicalPowerOn : DrcState.LogicalUnusable;

    /// <summary>CONFIGURED, logical or physical.</summary>
    public DrcState ReadyState => IsPhysical ? DrcState.PhysicalConfigured : DrcState.LogicalConfigured;

    public bool HasDevice => DeviceId is not null;

    /// <summary>The dr-entity-sense value (QEMU: physical connectors sense presence only).</summary>
    public uint Sense => IsPhysical
        ? (HasDevice ? 1u : 0u)
        : State == DrcState.LogicalUnusable ? 2u : 1u;

    /// <summary>Machine reset: a pending unplug is completed by the caller first; then dev ? ready : empty.</summary>
    public void ResetState()
    {
        State = HasDevice ? ReadyState : EmptyState;
        WalkCursor = 0;
        WalkDepth = 0;
        if (IsPhysical)
        {
            DrIndicator = HasDevice ? (byte)1 : (byte)0;
        }
    }

    public override string ToString() => $"0x{Index:x8} {Name} {State}";
}
