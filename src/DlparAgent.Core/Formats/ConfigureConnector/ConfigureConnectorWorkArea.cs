using System.Buffers.Binary;
using System.Text;

namespace DlparAgent.Core.Formats.ConfigureConnector;

/// <summary>
/// The <c>ibm,configure-connector</c> work area: word 0 DRC index and word 1 zero (caller, first
/// call); word 2 offset of the node or property name, word 3 value length, word 4 value offset
/// (platform). All BE. The platform side writes names at byte 20 as QEMU does.
/// </summary>
public static class ConfigureConnectorWorkArea
{
    /// <summary>One work-area page.</summary>
    public const int Size = 4096;

    /// <summary>Where QEMU places the name (after the five header words).</summary>
    public const int DataOffset = 20;

    private const string Format = "configure-connector";

    /// <summary>Caller side: prepares a work area for the first call on <paramref name="drcIndex"/>.</summary>
    public static void Initialize(Span<byte> workArea, uint drcIndex)
    {
        RequireHeader(workArea.Length);
        workArea.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(workArea, drcIndex);
    }

    /// <summary>The DRC index in word 0.</summary>
    public static uint ReadDrcIndex(ReadOnlySpan<byte> workArea)
    {
        RequireHeader(workArea.Length);
        return BinaryPrimitives.ReadUInt32BigEndian(workArea);
    }

    /// <summary>
    /// Caller side: interprets the work area after a call returned <paramref name="status"/>.
    /// Offsets and lengths are checked against the bytes present (the work area, plus the
    /// extension page when one was supplied).
    /// </summary>
    public static ConfigureConnectorStep ReadStep(ReadOnlySpan<byte> workArea, int status)
    {
        RequireHeader(workArea.Length);
        var header = new BigEndianReader(workArea, Format);
        header.Seek(8, "work area");
        uint nameOffset = header.ReadUInt32("name offset (word 2)");
        uint valueLength = header.ReadUInt32("value length (word 3)");
        uint valueOffset = header.ReadUInt32("value offset (word 4)");
        switch (status)
        {
            case ConfigureConnectorStatus.NextChild:
            case ConfigureConnectorStatus.NextSibling:
                return new ConfigureConnectorStep(status, ReadName(workArea, nameOffset, "node name"), ReadOnlyMemory<byte>.Empty);
            case ConfigureConnectorStatus.NextProperty:
                string name = ReadName(workArea, nameOffset, "property name");
                if (valueOffset > workArea.Length || valueLength > workArea.Length - valueOffset)
                {
                    throw new DlparFormatException(Format, "property value", 12,
                        $"{name}: {valueLength} bytes at offset {valueOffset} extend beyond the {workArea.Length}-byte work area");
                }

                return new ConfigureConnectorStep(status, name, workArea.Slice((int)valueOffset, (int)valueLength).ToArray());
            default:
                return new ConfigureConnectorStep(status, null, ReadOnlyMemory<byte>.Empty);
        }
    }

    /// <summary>Platform side: announces a node (status 1 or 2) with its name at byte 20.</summary>
    public static void WriteNode(Span<byte> workArea, string name)
    {
        RequireHeader(workArea.Length);
        int written = WriteName(workArea, name);
        BinaryPrimitives.WriteUInt32BigEndian(workArea[8..], DataOffset);
        if (written < Encoding.Latin1.GetByteCount(name) + 1)
        {
            throw new ArgumentException($"node name of {name.Length} characters does not fit the work area", nameof(name));
        }
    }

    /// <summary>
    /// Platform side: a property (status 3), name at byte 20 and value right after its NUL.
    /// Returns false when it does not fit; with <paramref name="clipLikeQemu"/> the value is then
    /// clipped at the end of the area while word 3 keeps the full length, as QEMU does.
    /// </summary>
    public static bool WriteProperty(Span<byte> workArea, string name, ReadOnlySpan<byte> value, bool clipLikeQemu)
    {
        RequireHeader(workArea.Length);
        int nameBytes = Encoding.Latin1.GetByteCount(name) + 1;
        int valueOffset = DataOffset + nameBytes;
        bool fits = valueOffset + value.Length <= workArea.Length;
        if (!fits && !clipLikeQemu)
        {
            return false;
        }

        WriteName(workArea, name);
        BinaryPrimitives.WriteUInt32BigEndian(workArea[8..], DataOffset);
        BinaryPrimitives.WriteUInt32BigEndian(workArea[12..], (uint)value.Length);
        BinaryPrimitives.WriteUInt32BigEndian(workArea[16..], (uint)valueOffset);
        if (valueOffset < workArea.Length)
        {
            ReadOnlySpan<byte> copied = value[..Math.Min(value.Length, workArea.Length - valueOffset)];
            copied.CopyTo(workArea[valueOffset..]);
        }

        return fits;
    }

    private static int WriteName(Span<byte> workArea, string name)
    {
        Span<byte> target = workArea[DataOffset..];
        byte[] bytes = Encoding.Latin1.GetBytes(name + "\0");
        int count = Math.Min(bytes.Length, target.Length);
        bytes.AsSpan(0, count).CopyTo(target);
        return count;
    }

    private static string ReadName(ReadOnlySpan<byte> workArea, uint offset, string field)
    {
        if (offset >= workArea.Length)
        {
            throw new DlparFormatException(Format, field, 8, $"offset {offset} is outside the {workArea.Length}-byte work area");
        }

        ReadOnlySpan<byte> tail = workArea[(int)offset..];
        int length = tail.IndexOf((byte)0);
        if (length <= 0)
        {
            throw new DlparFormatException(Format, field, offset, length == 0 ? "empty name" : "name is not NUL-terminated within the work area");
        }

        return Encoding.Latin1.GetString(tail[..length]);
    }

    private static void RequireHeader(int length)
    {
        if (length < DataOffset)
        {
            throw new DlparFormatException(Format, "work area", 0, $"{length} bytes cannot hold the {DataOffset}-byte header");
        }
    }
}
