using System.Buffers.Binary;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Drc;

namespace DlparAgent.Core.Tests.Formats;

public class DrcPropertyTests
{
    private static readonly DrcConnector[] Sample =
    [
        new(0x10000000, "CPU 0", "CPU", 0xFFFFFFFF),
        new(0x40000018, "C24", "28", 2),
        new(0x30000002, "U8233.E8B.1000C9P-V1-C2", "SLOT", 0xFFFFFFFF),
    ];

    [Fact]
    public void Arrays_round_trip_and_encode_as_documented()
    {
        (byte[] indexes, byte[] names, byte[] types, byte[] domains) = DrcArrays.Write(Sample);

        Assert.Equal(Sample, DrcArrays.Read(indexes, names, types, domains));
        Assert.Equal(Convert.FromHexString("00000003" + "10000000" + "40000018" + "30000002"), indexes);
        Assert.Equal("\0\0\0\u0003CPU\u000028\0SLOT\0", System.Text.Encoding.Latin1.GetString(types));
        Assert.Equal(Convert.FromHexString("00000003FFFFFFFF00000002FFFFFFFF"), domains);
    }

    [Theory]
    [InlineData(DrcArrays.NamesProperty)]
    [InlineData(DrcArrays.TypesProperty)]
    [InlineData(DrcArrays.PowerDomainsProperty)]
    public void Arrays_whose_counts_disagree_are_refused(string property)
    {
        (byte[] indexes, byte[] names, byte[] types, byte[] domains) = DrcArrays.Write(Sample);
        (_, byte[] shortNames, byte[] shortTypes, byte[] shortDomains) = DrcArrays.Write(Sample[..2]);
        names = property == DrcArrays.NamesProperty ? shortNames : names;
        types = property == DrcArrays.TypesProperty ? shortTypes : types;
        domains = property == DrcArrays.PowerDomainsProperty ? shortDomains : domains;

        var error = Assert.Throws<DlparFormatException>(() => DrcArrays.Read(indexes, names, types, domains));

        Assert.Contains(property, error.Field, StringComparison.Ordinal);
        Assert.Contains("ibm,drc-indexes has 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_count_larger_than_the_data_is_refused_before_allocating()
    {
        byte[] indexes = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(indexes, 0x7FFFFFFF);

        var error = Assert.Throws<DlparFormatException>(() => DrcArrays.Read(indexes, [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]));

        Assert.Contains("2147483647 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_name_are_refused()
    {
        (byte[] indexes, byte[] names, byte[] types, byte[] domains) = DrcArrays.Write(Sample);

        Assert.Throws<DlparFormatException>(() => DrcArrays.Read(indexes, [.. names, (byte)'x', 0], types, domains));
    }

    [Fact]
    public void Drc_info_expands_as_lopar_says()
    {
        var entries = new[]
        {
            new DrcInfoEntry("CPU", "CPU ", 0x10000000, 0, 3, 8, 0xFFFFFFFF),
            new DrcInfoEntry("MEM", "LMB ", 0x80000008, 8, 2, 1, 0xFFFFFFFF),
            new DrcInfoEntry("SLOT", "U8233.E8B.1000C9P-V1-C", 0x30000002, 2, 2, 1, 0xFFFFFFFF),
            new DrcInfoEntry("PHB", "PHB ", 0x20000000, 0, 0, 1, 0xFFFFFFFF),
        };

        DrcInfoEntry[] read = DrcInfo.Read(DrcInfo.Write(entries));

        Assert.Equal(entries, read);
        Assert.Equal(
            ["CPU 0@10000000", "CPU 8@10000008", "CPU 16@10000010", "LMB 8@80000008", "LMB 9@80000009", "U8233.E8B.1000C9P-V1-C2@30000002",
                "U8233.E8B.1000C9P-V1-C3@30000003"],
            read.SelectMany(e => e.Expand()).Select(c => $"{c.Name}@{c.Index:x8}"));
        Assert.Equal(0x10000010u, read[0].LastIndex);
    }

    [Fact]
    public void Drc_info_compresses_connectors_into_runs()
    {
        DrcConnector[] connectors =
        [
            .. Enumerable.Range(0, 4).Select(i => new DrcConnector(0x10000000u + (uint)(i * 8), $"CPU {i * 8}", "CPU", 0xFFFFFFFF)),
            .. Enumerable.Range(8, 24).Select(i => new DrcConnector(0x80000000u + (uint)i, $"LMB {i}", "MEM", 0xFFFFFFFF)),
            new DrcConnector(0x30000002, "U8233.E8B.1000C9P-V1-C2", "SLOT", 0xFFFFFFFF),
            new DrcConnector(0x30000005, "U8233.E8B.1000C9P-V1-C7", "SLOT", 0xFFFFFFFF),
        ];

        DrcInfoEntry[] entries = DrcInfo.Compress(connectors);

        Assert.Equal(4, entries.Length);
        Assert.Equal(connectors, entries.SelectMany(e => e.Expand()));
        Assert.Equal(connectors, DrcInfo.Read(DrcInfo.Write(entries)).SelectMany(e => e.Expand()));
    }

    [Fact]
    public void Drc_info_refuses_a_zero_increment_and_runaway_counts()
    {
        byte[] zeroIncrement = DrcInfo.Write([new DrcInfoEntry("CPU", "CPU ", 0, 0, 2, 0, 0)]);
        byte[] huge = DrcInfo.Write([new DrcInfoEntry("MEM", "LMB ", 0, 0, uint.MaxValue, 1, 0)]);

        Assert.Contains("sequential-increment", Assert.Throws<DlparFormatException>(() => DrcInfo.Read(zeroIncrement)).Field, StringComparison.Ordinal);
        Assert.Contains("more than", Assert.Throws<DlparFormatException>(() => DrcInfo.Read(huge)).Message, StringComparison.Ordinal);
    }
}
