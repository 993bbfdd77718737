namespace DlparAgent.Core.Formats.Memory;

/// <summary>The LMB flag word of <c>ibm,dynamic-memory[-v2]</c> (LoPAR "Flag Word"; Linux <c>DRCONF_MEM_*</c>).</summary>
[Flags]
public enum LmbFlags : uint
{
    None = 0,
    Preserved = 0x001,
    Preservable = 0x002,
    PreservedState = 0x004,

    /// <summary>Assigned to the partition (the OS owns and uses it).</summary>
    Assigned = 0x008,
    NoHMigrateDma = 0x010,

    /// <summary>No DR connector: the index is meaningless (QEMU: boot RAM and the gap).</summary>
    DrcInvalid = 0x020,
    AssociativityInvalid = 0x040,

    /// <summary>Firmware-reserved memory, never a DLPAR candidate.</summary>
    Reserved = 0x080,

    /// <summary>Hot-removable (outside the 0xFF flags mask; QEMU v2 DIMM sets).</summary>
    HotRemovable = 0x100,
}
