namespace DlparAgent.Emulation.Machine;

/// <summary>How the emulated guest negotiated at client-architecture-support (CAS).</summary>
public enum NegotiationMode
{
    /// <summary>Like a modern Linux: hotplug event class, dynamic-reconfiguration memory, count-indexed memory events.</summary>
    Modern,

    /// <summary>No CAS at all (QEMU under TCG <c>-S</c>): hotplug events on the EPOW class, count-only memory adds, no drconf node.</summary>
    Legacy,
}
