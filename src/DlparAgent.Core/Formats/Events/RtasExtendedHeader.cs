using System.Buffers.Binary;

namespace DlparAgent.Core.Formats.Events;

/// <summary>
/// The 16-byte version-6 extended header (<c>struct rtas_ext_event_log_v6</c>) at offset 8:
/// flags, log format, reserved bytes and the company id.
/// </summary>
public sealed class RtasExtendedHeader
{
    public const int Size = 16;

    /// <summary>"IBM\0".</summary>
    public const uint IbmCompanyId = 0x49424D00;

    /// <summary>Log format 14: IBM version-6 platform event log (the only one with sections).</summary>
    public const byte PlatformEventLogFormat = 0xE;

    private readonly byte[] _bytes;

    public RtasExtendedHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"the extended header is {Size} bytes", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Byte 0: 0x80 valid, 0x40 unrecoverable, 0x20 recoverable, 0x10 degraded, 0x08 predictive, 0x04 new log, 0x02 big-endian.</summary>
    public byte Flags => _bytes[0];

    public bool Valid => (Flags & 0x80) != 0;

    public bool NewLog => (Flags & 0x04) != 0;

    public bool BigEndian => (Flags & 0x02) != 0;

    public bool PowerPcFormat => (_bytes[2] & 0x80) != 0;

    /// <summary>The log format in the low nibble of byte 2; 14 is the platform event log.</summary>
    public byte LogFormat => (byte)(_bytes[2] & 0x0F);

    public uint CompanyId => BinaryPrimitives.ReadUInt32BigEndian(_bytes.AsSpan(12));

    /// <summary>True when sections follow (format 14 from IBM), as Linux requires before walking them.</summary>
    public bool HasSections => LogFormat == PlatformEventLogFormat && CompanyId == IbmCompanyId;

    /// <summary>The header QEMU and PowerVM write: valid, new log, big-endian, PowerPC format 14, IBM.</summary>
    public static RtasExtendedHeader PlatformEventLog()
    {
        Span<byte> bytes = stackalloc byte[Size];
        bytes.Clear();
        bytes[0] = 0x86;
        bytes[2] = 0x80 | PlatformEventLogFormat;
        BinaryPrimitives.WriteUInt32BigEndian(bytes[12..], IbmCompanyId);
        return new RtasExtendedHeader(bytes);
    }
}
