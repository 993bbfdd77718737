namespace DlparAgent.Emulation.Machine;

/// <summary>The option-vector-5 features that matter for DR, as negotiated at CAS.</summary>
[Flags]
public enum Ov5
{
    None = 0,

    /// <summary>Byte 2 bit 0x20: <c>/ibm,dynamic-reconfiguration-memory</c>.</summary>
    DrconfMemory = 1,

    /// <summary>Byte 6 bit 0x04: a dedicated hotplug event source.</summary>
    HotplugEvents = 2,

    /// <summary>Byte 22 bit 0x80: <c>ibm,dynamic-memory-v2</c>.</summary>
    DrmemV2 = 4,

    /// <summary>Byte 22 bit 0x40: <c>ibm,drc-info</c> (PowerVM; QEMU never offers it).</summary>
    DrcInfo = 8,
}
