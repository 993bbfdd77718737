namespace DlparAgent.Core.Formats.Memory;

/// <summary>
/// <c>ibm,associativity-lookup-arrays</c>: BE u32 M (number of lists), BE u32 N (entries per list),
/// then M x N BE u32 associativity values. An LMB's associativity index selects one list.
/// </summary>
public sealed class AssociativityLookupArrays
{
    public const string PropertyName = "ibm,associativity-lookup-arrays";

    /// <summary>Most entries (M x N) accepted; far above any real partition.</summary>
    public const long MaxEntries = 1 << 20;

    private const string Format = "ibm,associativity-lookup-arrays";

    private readonly uint[][] _lists;

    public AssociativityLookupArrays(int entriesPerList, IEnumerable<uint[]> lists)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entriesPerList);
        ArgumentNullException.ThrowIfNull(lists);
        _lists = [.. lists.Select(l => (uint[])l.Clone())];
        if (_lists.Any(l => l.Length != entriesPerList))
        {
            throw new ArgumentException($"every list must have {entriesPerList} entries", nameof(lists));
        }

        EntriesPerList = entriesPerList;
    }

    public int EntriesPerList { get; }

    public int Count => _lists.Length;

    public IReadOnlyList<uint> this[int index] => _lists[index];

    /// <summary>The index of a list equal to <paramref name="associativity"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<uint> associativity)
    {
        for (int i = 0; i < _lists.Length; i++)
        {
            if (associativity.SequenceEqual(_lists[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public static AssociativityLookupArrays Read(ReadOnlySpan<byte> value)
    {
        var reader = new BigEndianReader(value, Format);
        uint lists = reader.ReadUInt32("number of lists");
        uint perList = reader.ReadUInt32("entries per list");
        ulong entries = (ulong)lists * perList;
        if (entries > MaxEntries || lists > MaxEntries || perList > MaxEntries)
        {
            throw new DlparFormatException(Format, "number of lists", 0, $"{lists} x {perList} entries exceed the limit of {MaxEntries}");
        }

        if ((ulong)reader.Remaining != entries * 4)
        {
            throw new DlparFormatException(Format, "number of lists", 0,
                $"{lists} lists of {perList} entries need {entries * 4} bytes but {reader.Remaining} follow");
        }

        var result = new uint[lists][];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new uint[perList];
            for (int j = 0; j < perList; j++)
            {
                result[i][j] = reader.ReadUInt32("associativity");
            }
        }

        return new AssociativityLookupArrays((int)perList, result);
    }

    public byte[] Write()
    {
        var writer = new BigEndianWriter(8 + (_lists.Length * EntriesPerList * 4));
        writer.WriteUInt32((uint)_lists.Length);
        writer.WriteUInt32((uint)EntriesPerList);
        foreach (uint[] list in _lists)
        {
            foreach (uint value in list)
            {
                writer.WriteUInt32(value);
            }
        }

        return writer.ToArray();
    }
}
