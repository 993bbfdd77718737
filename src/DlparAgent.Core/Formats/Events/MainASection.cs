using System.Buffers.Binary;

namespace DlparAgent.Core.Formats.Events;

/// <summary>The Main-A (private header, <c>PH</c>) section: creation time, creator, section count, PLID.</summary>
public sealed class MainASection : RtasSection
{
    public const ushort SectionId = 0x5048;
    public const int MinimumLength = 48;

    internal MainASection(ReadOnlySpan<byte> bytes)
        : base(bytes)
    {
        RequireLength(MinimumLength, "PH");
    }

    /// <summary>Creation date as BCD <c>YYYYMMDD</c>.</summary>
    public uint CreationDateBcd => BinaryPrimitives.ReadUInt32BigEndian(Bytes[8..]);

    /// <summary>Creation time as BCD <c>HHMMSS00</c>.</summary>
    public uint CreationTimeBcd => BinaryPrimitives.ReadUInt32BigEndian(Bytes[12..]);

    /// <summary>Creator id: 'E' service processor, 'H' hypervisor, 'W' power control, 'L' partition firmware.</summary>
    public char CreatorId => (char)Bytes[24];

    /// <summary>Number of sections in the log, PH and UH included.</summary>
    public byte SectionCount => Bytes[27];

    /// <summary>Platform log id, as stored big-endian (QEMU writes it host-endian; compare with care).</summary>
    public uint PlatformLogId => BinaryPrimitives.ReadUInt32BigEndian(Bytes[40..]);

    /// <summary>The creation time if the BCD fields hold a valid date and time, else null.</summary>
    public DateTime? CreationTime
    {
        get
        {
            if (!Bcd.TryDecode(CreationDateBcd, 8, out int date) || !Bcd.TryDecode(CreationTimeBcd, 8, out int time))
            {
                return null;
            }

            int year = date / 10000, month = date / 100 % 100, day = date % 100;
            int hour = time / 1000000, minute = time / 10000 % 100, second = time / 100 % 100;
            if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            {
                return null;
            }

            return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        }
    }
}
