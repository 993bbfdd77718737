using System.Buffers.Binary;

namespace DlparAgent.Core.Formats.Events;

/// <summary>
/// One section of a version-6 platform event log. A section keeps its exact bytes, so a log
/// writes back byte for byte; typed subclasses decode their fields from them once, on creation.
/// </summary>
public class RtasSection
{
    public const int HeaderSize = 8;

    private readonly byte[] _bytes;

    protected RtasSection(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new DlparFormatException("rtas-event", "section header", 0, $"a section needs {HeaderSize} bytes, {bytes.Length} given");
        }

        _bytes = bytes.ToArray();
        if (BinaryPrimitives.ReadUInt16BigEndian(_bytes.AsSpan(2)) != bytes.Length)
        {
            throw new DlparFormatException("rtas-event", "section length", 2,
                $"the header says {BinaryPrimitives.ReadUInt16BigEndian(_bytes.AsSpan(2))} but the section has {bytes.Length} bytes");
        }
    }

    /// <summary>The whole section, header included.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The two-character id as a big-endian number, e.g. 0x4850 for <c>HP</c>.</summary>
    public ushort IdValue => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    /// <summary>The two-character id, e.g. <c>HP</c>; non-printable bytes are shown as '?'.</summary>
    public string Id => new([Printable(_bytes[0]), Printable(_bytes[1])]);

    public int Length => _bytes.Length;

    public byte Version => _bytes[4];

    public byte Subtype => _bytes[5];

    public ushort CreatorComponentId => BinaryPrimitives.ReadUInt16BigEndian(_bytes.AsSpan(6));

    /// <summary>The bytes after the 8-byte header.</summary>
    public ReadOnlySpan<byte> Data => _bytes.AsSpan(HeaderSize);

    /// <summary>Decodes a section into its typed form when its id is known, else keeps it raw.</summary>
    public static RtasSection Create(ReadOnlySpan<byte> bytes, long offset)
    {
        try
        {
            ushort id = bytes.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : (ushort)0;
            return id switch
            {
                MainASection.SectionId => new MainASection(bytes),
                MainBSection.SectionId => new MainBSection(bytes),
                HotplugSection.SectionId => new HotplugSection(bytes),
                EpowSection.SectionId => new EpowSection(bytes),
                _ => new RtasSection(bytes),
            };
        }
        catch (DlparFormatException error) when (offset != 0)
        {
            throw new DlparFormatException(error.Format, error.Field, offset + Math.Max(0, error.Offset), error.Detail);
        }
    }

    /// <summary>Builds the 8-byte header for a section of <paramref name="dataLength"/> data bytes.</summary>
    internal static void WriteHeader(BigEndianWriter writer, ushort id, int dataLength, byte version, byte subtype, ushort creator)
    {
        writer.WriteUInt16(id);
        writer.WriteUInt16(checked((ushort)(HeaderSize + dataLength)));
        writer.WriteByte(version);
        writer.WriteByte(subtype);
        writer.WriteUInt16(creator);
    }

    protected void RequireLength(int minimum, string name)
    {
        if (_bytes.Length < minimum)
        {
            throw new DlparFormatException("rtas-event", $"{name} section length", 2, $"{_bytes.Length} bytes, at least {minimum} needed");
        }
    }

    private static char Printable(byte b) => b is >= 0x20 and < 0x7F ? (char)b : '?';
}
