using System.Buffers.Binary;

namespace DlparAgent.Core.Formats.Events;

/// <summary>The <c>EP</c> section of an EPOW (environmental and power warning) event.</summary>
public sealed class EpowSection : RtasSection
{
    public const ushort SectionId = 0x4550;
    public const int MinimumLength = 12;

    internal EpowSection(ReadOnlySpan<byte> bytes)
        : base(bytes)
    {
        RequireLength(MinimumLength, "EP");
    }

    /// <summary>Action code, the low nibble of the sensor value: 0 reset, 1 warn cooling, 2 warn power, 3 system shutdown, 4 halt, 5 main enclosure, 7 power
    /// off.</summary>
    public byte ActionCode => (byte)(Bytes[8] & 0x0F);

    public byte SensorValue => Bytes[8];

    /// <summary>Event modifier (low nibble): 1 normal shutdown, 2 on UPS, 3 loss of critical functions, 4 ambient temperature.</summary>
    public byte EventModifier => (byte)(Bytes[9] & 0x0F);

    /// <summary>Extended modifier (section version 2): 0 system-wide, 1 partition-specific.</summary>
    public byte ExtendedModifier => Bytes[10];

    /// <summary>The platform reason code, when the section carries one.</summary>
    public ulong? ReasonCode => Length >= 20 ? BinaryPrimitives.ReadUInt64BigEndian(Bytes[12..]) : null;

    public static string DescribeAction(byte action) => action switch
    {
        0 => "reset",
        1 => "warn cooling",
        2 => "warn power",
        3 => "system shutdown",
        4 => "system halt",
        5 => "main enclosure",
        7 => "power off",
        _ => $"action {action}",
    };
}
