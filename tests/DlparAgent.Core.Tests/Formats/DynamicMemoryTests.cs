using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Memory;
using DlparAgent.Core.Tests.Support;

namespace DlparAgent.Core.Tests.Formats;

public class DynamicMemoryTests
{
    private const ulong Lmb = 256UL << 20;

    /// <summary>The LMB table of conformance case D04/D05: 4 GiB boot RAM, maxmem 8 GiB, a 1 GiB DIMM at 4 GiB on node 0.</summary>
    private static DynamicMemoryLmb[] ConformanceTable() =>
    [
        .. Enumerable.Range(0, 16).Select(i => new DynamicMemoryLmb((ulong)i * Lmb, 0, 0, 0xFFFFFFFF, LmbFlags.Reserved | LmbFlags.DrcInvalid)),
        .. Enumerable.Range(16, 4).Select(i => new DynamicMemoryLmb((ulong)i * Lmb, 0x80000000u + (uint)i, 0, 0, LmbFlags.Assigned)),
        .. Enumerable.Range(20, 12).Select(i => new DynamicMemoryLmb((ulong)i * Lmb, 0x80000000u + (uint)i, 0, 0xFFFFFFFF, LmbFlags.None)),
    ];

    [Fact]
    public void V1_encodes_conformance_case_D05()
    {
        byte[] value = DynamicMemoryV1.Write(ConformanceTable());

        Assert.Equal(772, value.Length);
        Assert.Equal(ConformanceTable(), DynamicMemoryV1.Read(value));
        Assert.Equal(Convert.FromHexString("00000020" + "0000000000000000" + "00000000" + "00000000" + "FFFFFFFF" + "000000A0"), value[..28]);
    }

    [Fact]
    public void V2_encodes_conformance_case_D04()
    {
        var sets = new[]
        {
            new DynamicMemorySet(16, 0x0, 0, 0xFFFFFFFF, LmbFlags.Reserved | LmbFlags.DrcInvalid),
            new DynamicMemorySet(4, 0x1_0000_0000, 0x80000010, 0, LmbFlags.Assigned | LmbFlags.HotRemovable),
            new DynamicMemorySet(12, 0x1_4000_0000, 0x80000014, 0xFFFFFFFF, LmbFlags.None),
        };

        byte[] value = DynamicMemoryV2.Write(sets);

        Assert.Equal(76, value.Length);
        Assert.Equal(sets, DynamicMemoryV2.Read(value));
        Assert.Equal(Convert.FromHexString("00000004" + "0000000100000000" + "80000010" + "00000000" + "00000108"), value[28..52]);
        DynamicMemoryLmb[] lmbs = DynamicMemoryV2.Expand(sets, Lmb);
        Assert.Equal(32, lmbs.Length);
        Assert.Equal(new DynamicMemoryLmb(0x1_1000_0000, 0x80000011, 0, 0, LmbFlags.Assigned | LmbFlags.HotRemovable), lmbs[17]);
        Assert.Equal(sets, DynamicMemoryV2.Compress(lmbs, Lmb));
    }

    [Fact]
    public void Compress_splits_where_index_address_or_flags_break()
    {
        DynamicMemoryLmb[] table = ConformanceTable();

        DynamicMemorySet[] sets = DynamicMemoryV2.Compress(table, Lmb);

        Assert.Equal([16u, 4u, 12u], sets.Select(s => s.SequentialLmbs));
        Assert.Equal(table.Where(l => l.IsDynamic), DynamicMemoryV2.Expand(sets, Lmb).Where(l => l.IsDynamic));
        Assert.Equal(table.Select(l => (l.BaseAddress, l.Flags)), DynamicMemoryV2.Expand(sets, Lmb).Select(l => (l.BaseAddress, l.Flags)));
    }

    [Fact]
    public void The_cas_fixture_has_qemus_two_v2_sets()
    {
        var memory = DynamicReconfigurationMemory.FromTree(FdtReader.Read(Fixtures.Bytes(Fixtures.CasDtb)).Root)!;

        Assert.Equal(2, memory.Version);
        Assert.Equal(Lmb, memory.LmbSize);
        Assert.Equal(
            [new DynamicMemorySet(8, 0, 0, 0xFFFFFFFF, LmbFlags.Reserved | LmbFlags.DrcInvalid), new DynamicMemorySet(24, 0x8000_0000, 0x80000008, 0xFFFFFFFF,
                LmbFlags.None)],
            memory.Sets!);
        Assert.Equal(32, memory.Lmbs.Count);
        Assert.Equal(Enumerable.Range(8, 24).Select(i => 0x80000000u + (uint)i), memory.Lmbs.Where(l => l.IsDynamic).Select(l => l.DrcIndex));
        Assert.Equal(1, memory.AssociativityLookup!.Count);
        Assert.Equal([0u], memory.AssociativityLookup[0]);
    }

    [Fact]
    public void The_v1_fixture_lists_every_lmb()
    {
        var memory = DynamicReconfigurationMemory.FromTree(FdtReader.Read(Fixtures.Bytes(Fixtures.CasDrmemV1Dtb)).Root)!;

        Assert.Equal(1, memory.Version);
        Assert.Null(memory.Sets);
        Assert.Equal(32, memory.Lmbs.Count);
        Assert.All(memory.Lmbs.Take(8), l => Assert.Equal(LmbFlags.Reserved | LmbFlags.DrcInvalid, l.Flags));
        Assert.Equal(Enumerable.Range(8, 24).Select(i => ((ulong)i * Lmb, 0x80000000u + (uint)i)), memory.Lmbs.Skip(8).Select(l => (l.BaseAddress,
            l.DrcIndex)));
    }

    [Fact]
    public void Lmb_size_and_lookup_arrays_round_trip_and_validate()
    {
        Assert.Equal(Lmb, LmbSize.Read(LmbSize.Write(Lmb)));
        Assert.Throws<DlparFormatException>(() => LmbSize.Read(LmbSize.Write(3 << 20)));
        Assert.Throws<DlparFormatException>(() => LmbSize.Read(new byte[4]));

        var lookup = new AssociativityLookupArrays(4, [[0, 0, 0, 0], [0, 0, 1, 1]]);
        AssociativityLookupArrays read = AssociativityLookupArrays.Read(lookup.Write());
        Assert.Equal(2, read.Count);
        Assert.Equal(1, read.IndexOf([0, 0, 1, 1]));
        Assert.Equal(-1, read.IndexOf([9, 9, 9, 9]));
        Assert.Throws<DlparFormatException>(() => AssociativityLookupArrays.Read(Convert.FromHexString("00010000" + "00010000")));
    }

    [Theory]
    [InlineData("00000002" + "00")]
    [InlineData("00000001")]
    [InlineData("FFFFFFFF")]
    public void Counts_that_disagree_with_the_bytes_present_are_refused(string hex)
    {
        Assert.Throws<DlparFormatException>(() => DynamicMemoryV1.Read(Convert.FromHexString(hex)));
        Assert.Throws<DlparFormatException>(() => DynamicMemoryV2.Read(Convert.FromHexString(hex)));
    }

    [Fact]
    public void V2_refuses_sets_that_expand_past_the_limit()
    {
        byte[] value = DynamicMemoryV2.Write([new DynamicMemorySet(uint.MaxValue, 0, 0x80000000, 0, 0)]);

        Assert.Contains("more than", Assert.Throws<DlparFormatException>(() => DynamicMemoryV2.Read(value)).Message, StringComparison.Ordinal);
    }
}
