using System.Numerics;

namespace DlparAgent.Core.Formats.Memory;

/// <summary><c>ibm,lmb-size</c>: the LMB size as two cells (a BE u64), a power of two.</summary>
public static class LmbSize
{
    public const string PropertyName = "ibm,lmb-size";

    /// <summary>QEMU's fixed LMB size (256 MiB).</summary>
    public const ulong QemuLmbSize = 1UL << 28;

    private const string Format = "ibm,lmb-size";

    public static ulong Read(ReadOnlySpan<byte> value)
    {
        var reader = new BigEndianReader(value, Format);
        if (value.Length != 8)
        {
            throw reader.Error("length", $"{value.Length} bytes, expected 8 (two cells)");
        }

        ulong size = reader.ReadUInt64("lmb size");
        if (size < 4096 || !BitOperations.IsPow2(size))
        {
            throw new DlparFormatException(Format, "lmb size", 0, $"0x{size:x} is not a power of two of at least 4 KiB");
        }

        return size;
    }

    public static byte[] Write(ulong size)
    {
        var writer = new BigEndianWriter(8);
        writer.WriteUInt64(size);
        return writer.ToArray();
    }
}
