using System.Buffers.Binary;

namespace DlparAgent.Core.Formats.Events;

/// <summary>The Main-B (user header, <c>UH</c>) section: subsystem, event severity and type, action flags.</summary>
public sealed class MainBSection : RtasSection
{
    public const ushort SectionId = 0x5548;
    public const int MinimumLength = 24;

    internal MainBSection(ReadOnlySpan<byte> bytes)
        : base(bytes)
    {
        RequireLength(MinimumLength, "UH");
    }

    /// <summary>Subsystem id: 0x80 for hotplug (QEMU), 0xA0 for EPOW.</summary>
    public byte SubsystemId => Bytes[8];

    public byte EventSeverity => Bytes[10];

    /// <summary>Event type/subtype: 0x00 hotplug (QEMU), 0x01 informational, 0x80 DR, 0xD0 normal shutdown, 0xE0 abnormal shutdown.</summary>
    public byte EventSubtype => Bytes[11];

    /// <summary>Action flags (0x8000 service action, 0x4000 hidden, 0x2000 report externally, 0x1000 HMC only, 0x0800 call home).</summary>
    public ushort ActionFlags => BinaryPrimitives.ReadUInt16BigEndian(Bytes[18..]);
}
