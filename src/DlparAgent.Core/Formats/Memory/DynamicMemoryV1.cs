namespace DlparAgent.Core.Formats.Memory;

/// <summary>
/// <c>ibm,dynamic-memory</c>: BE u32 count N, then N 24-byte entries {u64 base, u32 drc index,
/// u32 reserved, u32 associativity index, u32 flags}.
/// </summary>
public static class DynamicMemoryV1
{
    public const string PropertyName = "ibm,dynamic-memory";
    public const int EntrySize = 24;
    private const string Format = "ibm,dynamic-memory";

    public static DynamicMemoryLmb[] Read(ReadOnlySpan<byte> value)
    {
        var reader = new BigEndianReader(value, Format);
        uint count = reader.ReadUInt32("entry count");
        if (count > (uint)(reader.Remaining / EntrySize) || reader.Remaining != count * EntrySize)
        {
            throw new DlparFormatException(Format, "entry count", 0,
                $"{count} entries need {(ulong)count * EntrySize} bytes but {reader.Remaining} follow the count");
        }

        var lmbs = new DynamicMemoryLmb[count];
        for (int i = 0; i < lmbs.Length; i++)
        {
            lmbs[i] = new DynamicMemoryLmb(
                reader.ReadUInt64("base address"),
                reader.ReadUInt32("drc index"),
                reader.ReadUInt32("reserved"),
                reader.ReadUInt32("associativity index"),
                (LmbFlags)reader.ReadUInt32("flags"));
        }

        return lmbs;
    }

    public static byte[] Write(ReadOnlySpan<DynamicMemoryLmb> lmbs)
    {
        var writer = new BigEndianWriter(4 + (lmbs.Length * EntrySize));
        writer.WriteUInt32((uint)lmbs.Length);
        foreach (DynamicMemoryLmb lmb in lmbs)
        {
            writer.WriteUInt64(lmb.BaseAddress);
            writer.WriteUInt32(lmb.DrcIndex);
            writer.WriteUInt32(lmb.Reserved);
            writer.WriteUInt32(lmb.AssociativityIndex);
            writer.WriteUInt32((uint)lmb.Flags);
        }

        return writer.ToArray();
    }
}
