using System.Buffers.Binary;

namespace DlparAgent.Core.Formats.Events;

/// <summary>
/// Builds version-6 platform event logs laid out exactly as QEMU's pseries machine builds them:
/// fixed part, extended header, Main-A (creator 'H'), Main-B and the event's own section.
/// </summary>
public static class RtasEventBuilder
{
    private const byte HotplugInitiator = 6;
    private const byte HotplugSubsystem = 0x80;
    private const byte EpowSubsystem = 0xA0;
    private const byte NormalShutdownSubtype = 0xD0;

    /// <summary>QEMU's identifier area: an 8-byte union, so the section is 20 bytes for every identifier type.</summary>
    private const int QemuIdentifierAreaSize = 8;

    /// <summary>A hotplug event; with the default capability byte 0 this is byte-identical to QEMU's 116-byte log.</summary>
    public static RtasEventLog Hotplug(HotplugResource resource, HotplugAction action, HotplugIdentifier identifier, RtasEventStamp stamp,
        byte capabilities = 0, uint token = 0)
    {
        var data = new BigEndianWriter(32);
        data.WriteByte((byte)resource);
        data.WriteByte((byte)action);
        data.WriteByte((byte)identifier.Type);
        data.WriteByte(capabilities);
        int areaStart = data.Length;
        switch (identifier.Type)
        {
            case HotplugIdentifierType.Index:
                data.WriteUInt32(identifier.Index);
                break;
            case HotplugIdentifierType.Count:
                data.WriteUInt32(identifier.Count);
                break;
            case HotplugIdentifierType.CountIndexed:
                data.WriteUInt32(identifier.Count);
                data.WriteUInt32(identifier.Index);
                break;
            case HotplugIdentifierType.Name:
                data.WriteCString(identifier.Name ?? throw new ArgumentException("a name identifier needs a name", nameof(identifier)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(identifier), identifier.Type, "unknown identifier type");
        }

        data.WriteZeros(Math.Max(0, QemuIdentifierAreaSize - (data.Length - areaStart)));
        data.Align(4);
        if ((capabilities & HotplugSection.TokenPresentBit) != 0)
        {
            data.WriteUInt32(token);
        }

        var section = new BigEndianWriter(data.Length + 8);
        RtasSection.WriteHeader(section, HotplugSection.SectionId, data.Length, version: 1, subtype: 0, creator: 0);
        section.WriteBytes(data.WrittenSpan);

        RtasEventSummary summary = RtasEventSummary.Create(6, RtasEventSeverity.Event, RtasEventDisposition.NotRecovered, true, HotplugInitiator, 0,
            RtasEventTypes.Hotplug);
        return Assemble(summary, stamp, HotplugSubsystem, 0, section.WrittenSpan);
    }

    /// <summary>An EPOW event (QEMU's shutdown request: action 3, modifier 1, partition-specific).</summary>
    public static RtasEventLog Epow(RtasEventStamp stamp, byte actionCode = 3, byte modifier = 1, byte extendedModifier = 1, ulong reasonCode = 0)
    {
        var section = new BigEndianWriter(20);
        RtasSection.WriteHeader(section, EpowSection.SectionId, 12, version: 2, subtype: 0, creator: 0);
        section.WriteByte(actionCode);
        section.WriteByte(modifier);
        section.WriteByte(extendedModifier);
        section.WriteByte(0);
        section.WriteUInt64(reasonCode);

        RtasEventSummary summary = RtasEventSummary.Create(6, RtasEventSeverity.Event, RtasEventDisposition.NotRecovered, true, 0, 0, RtasEventTypes.Epow);
        return Assemble(summary, stamp, EpowSubsystem, NormalShutdownSubtype, section.WrittenSpan);
    }

    private static RtasEventLog Assemble(RtasEventSummary summary, RtasEventStamp stamp, byte subsystem, byte eventSubtype, ReadOnlySpan<byte> eventSection)
    {
        var log = new BigEndianWriter(128);
        log.WriteUInt32(summary.Raw);
        log.WriteUInt32(0); // extended length, patched below
        log.WriteBytes(RtasExtendedHeader.PlatformEventLog().Bytes);

        // Main-A
        RtasSection.WriteHeader(log, MainASection.SectionId, MainASection.MinimumLength - RtasSection.HeaderSize, 0, 0, 0);
        DateTime t = stamp.CreationTime;
        log.WriteUInt32(Bcd.Encode((t.Year * 10000) + (t.Month * 100) + t.Day, 8));
        log.WriteUInt32(Bcd.Encode((t.Hour * 1000000) + (t.Minute * 10000) + (t.Second * 100), 8));
        log.WriteZeros(8);
        log.WriteByte((byte)'H');
        log.WriteZeros(2);
        log.WriteByte(3); // PH, UH and the event section
        log.WriteZeros(12);
        log.WriteUInt32(stamp.PlidLittleEndian ? BinaryPrimitives.ReverseEndianness(stamp.Plid) : stamp.Plid);
        log.WriteZeros(4);

        // Main-B
        RtasSection.WriteHeader(log, MainBSection.SectionId, MainBSection.MinimumLength - RtasSection.HeaderSize, 0, 0, 0);
        log.WriteByte(subsystem);
        log.WriteByte(0);
        log.WriteByte(0); // event severity: informational
        log.WriteByte(eventSubtype);
        log.WriteZeros(12);

        log.WriteBytes(eventSection);
        log.PatchUInt32(4, (uint)(log.Length - RtasEventLog.FixedPartSize));
        return RtasEventLog.FromExact(log.ToArray());
    }
}
