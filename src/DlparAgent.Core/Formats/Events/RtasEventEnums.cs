namespace DlparAgent.Core.Formats.Events;

/// <summary>Severity in bits 7-5 of summary byte 1.</summary>
public enum RtasEventSeverity : byte
{
    NoError = 0,
    Event = 1,
    Warning = 2,
    ErrorSync = 3,
    Error = 4,
    Fatal = 5,
    AlreadyReported = 6,
    Reserved7 = 7,
}

/// <summary>Disposition in bits 4-3 of summary byte 1.</summary>
public enum RtasEventDisposition : byte
{
    FullyRecovered = 0,
    LimitedRecovery = 1,
    NotRecovered = 2,
    Reserved3 = 3,
}

/// <summary>Well-known values of summary byte 3 (the event type).</summary>
public static class RtasEventTypes
{
    public const byte Epow = 0x40;
    public const byte PlatformResourceReassignment = 0xA0;
    public const byte PlatformError = 0xE0;
    public const byte IoEvent = 0xE1;
    public const byte PlatformInformation = 0xE2;
    public const byte ResourceDeallocation = 0xE3;
    public const byte DumpNotification = 0xE4;
    public const byte Hotplug = 0xE5;

    public static string Describe(byte type) => type switch
    {
        Epow => "EPOW",
        PlatformResourceReassignment => "PRRN",
        PlatformError => "platform error",
        IoEvent => "I/O event",
        PlatformInformation => "platform information",
        ResourceDeallocation => "resource deallocation",
        DumpNotification => "dump notification",
        Hotplug => "hotplug",
        _ => $"type 0x{type:x2}",
    };
}

/// <summary>The resource of an <c>HP</c> section (LoPAR "Hotplug Section"; 6 is QEMU/Linux PMEM).</summary>
public enum HotplugResource : byte
{
    Cpu = 1,
    Memory = 2,
    Slot = 3,
    Phb = 4,
    Pci = 5,
    Pmem = 6,
}

public enum HotplugAction : byte
{
    Add = 1,
    Remove = 2,
}

public enum HotplugIdentifierType : byte
{
    Name = 1,
    Index = 2,
    Count = 3,
    CountIndexed = 4,
}
