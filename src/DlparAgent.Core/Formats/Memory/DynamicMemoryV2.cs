namespace DlparAgent.Core.Formats.Memory;

/// <summary>
/// <c>ibm,dynamic-memory-v2</c>: BE u32 set count, then packed 24-byte sets {u32 sequential LMBs,
/// u64 base, u32 first drc index, u32 associativity index, u32 flags}.
/// </summary>
public static class DynamicMemoryV2
{
    public const string PropertyName = "ibm,dynamic-memory-v2";
    public const int SetSize = 24;

    /// <summary>Most LMBs a property may expand to: a 64 TiB partition of 16 MiB LMBs has 4 Mi.</summary>
    public const long MaxLmbs = 1 << 22;

    private const string Format = "ibm,dynamic-memory-v2";

    public static DynamicMemorySet[] Read(ReadOnlySpan<byte> value)
    {
        var reader = new BigEndianReader(value, Format);
        uint count = reader.ReadUInt32("set count");
        if (count > (uint)(reader.Remaining / SetSize) || reader.Remaining != count * SetSize)
        {
            throw new DlparFormatException(Format, "set count", 0,
                $"{count} sets need {(ulong)count * SetSize} bytes but {reader.Remaining} follow the count");
        }

        var sets = new DynamicMemorySet[count];
        long total = 0;
        for (int i = 0; i < sets.Length; i++)
        {
            long offset = reader.AbsolutePosition;
            sets[i] = new DynamicMemorySet(
                reader.ReadUInt32("sequential lmbs"),
                reader.ReadUInt64("base address"),
                reader.ReadUInt32("first drc index"),
                reader.ReadUInt32("associativity index"),
                (LmbFlags)reader.ReadUInt32("flags"));
            total += sets[i].SequentialLmbs;
            if (total > MaxLmbs)
            {
                throw new DlparFormatException(Format, $"set {i} sequential lmbs", offset, $"the property would describe more than {MaxLmbs} LMBs");
            }
        }

        return sets;
    }

    public static byte[] Write(ReadOnlySpan<DynamicMemorySet> sets)
    {
        var writer = new BigEndianWriter(4 + (sets.Length * SetSize));
        writer.WriteUInt32((uint)sets.Length);
        foreach (DynamicMemorySet set in sets)
        {
            writer.WriteUInt32(set.SequentialLmbs);
            writer.WriteUInt64(set.BaseAddress);
            writer.WriteUInt32(set.FirstDrcIndex);
            writer.WriteUInt32(set.AssociativityIndex);
            writer.WriteUInt32((uint)set.Flags);
        }

        return writer.ToArray();
    }

    /// <summary>One LMB per element of every set: index first+i, address base+i*lmbSize.</summary>
    public static DynamicMemoryLmb[] Expand(ReadOnlySpan<DynamicMemorySet> sets, ulong lmbSize)
    {
        long total = 0;
        foreach (DynamicMemorySet set in sets)
        {
            total += set.SequentialLmbs;
        }

        if (total > MaxLmbs)
        {
            throw new DlparFormatException(Format, "sequential lmbs", -1, $"the sets describe more than {MaxLmbs} LMBs");
        }

        var lmbs = new DynamicMemoryLmb[total];
        int next = 0;
        foreach (DynamicMemorySet set in sets)
        {
            for (uint i = 0; i < set.SequentialLmbs; i++)
            {
                lmbs[next++] = new DynamicMemoryLmb(
                    unchecked(set.BaseAddress + (i * lmbSize)),
                    unchecked(set.FirstDrcIndex + i),
                    0,
                    set.AssociativityIndex,
                    set.Flags);
            }
        }

        return lmbs;
    }

    /// <summary>
    /// Groups LMBs into sets the way QEMU does: a new set starts wherever the index or the address
    /// does not continue, or the associativity index or flags change. LMBs flagged DRC-invalid have
    /// no meaningful index (v1 writes 0 for each), so only their address must continue.
    /// </summary>
    public static DynamicMemorySet[] Compress(ReadOnlySpan<DynamicMemoryLmb> lmbs, ulong lmbSize)
    {
        var sets = new List<DynamicMemorySet>();
        int start = 0;
        for (int i = 1; i <= lmbs.Length; i++)
        {
            bool continues = i < lmbs.Length
                && (lmbs[i].DrcIndex == unchecked(lmbs[i - 1].DrcIndex + 1) || (lmbs[i].Flags & LmbFlags.DrcInvalid) != 0)
                && lmbs[i].BaseAddress == unchecked(lmbs[i - 1].BaseAddress + lmbSize)
                && lmbs[i].AssociativityIndex == lmbs[start].AssociativityIndex
                && lmbs[i].Flags == lmbs[start].Flags;
            if (!continues && start < lmbs.Length)
            {
                DynamicMemoryLmb first = lmbs[start];
                sets.Add(new DynamicMemorySet((uint)(i - start), first.BaseAddress, first.DrcIndex, first.AssociativityIndex, first.Flags));
                start = i;
            }
        }

        return [.. sets];
    }
}
