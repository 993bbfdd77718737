namespace DlparAgent.Conformance.Tests.Platforms;

/// <summary>How the machine negotiated: the axis every scenario runs along.</summary>
public enum ReferenceMode
{
    /// <summary>No CAS (QEMU under TCG <c>-S</c>): hotplug events on EPOW, count-only memory adds, no drconf node.</summary>
    Legacy,

    /// <summary>CAS with DRCONF_MEMORY, HP_EVT and DRMEM_V2, as a modern Linux negotiates.</summary>
    Modern,

    /// <summary>CAS without DRMEM_V2: v1 <c>ibm,dynamic-memory</c>.</summary>
    ModernDrmemV1,

    /// <summary>CAS without HP_EVT: hotplug events stay on EPOW and DIMM unplug is refused.</summary>
    ModernNoHotplugEvents,
}
