namespace DlparAgent.Emulation.Machine;

/// <summary>What a connector connects; decides its state machine and its hotplug event type.</summary>
public enum DrcKind
{
    Cpu,
    Lmb,
    Phb,
    Pci,
    Pmem,

    /// <summary>A PowerVM virtual I/O slot under <c>/vdevice</c> (logical, type <c>SLOT</c>).</summary>
    VioSlot,
}
