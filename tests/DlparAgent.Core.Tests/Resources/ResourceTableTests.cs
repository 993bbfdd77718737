using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Inventory;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Resources;

namespace DlparAgent.Core.Tests.Resources;

/// <summary>The one resource table: each word in each grammar names one row, and nothing unknown reaches a handler.</summary>
public sealed class ResourceTableTests
{
    public static TheoryData<string, string?, string?> Words => new()
    {
        // request word, drmgr -c word, /sys/kernel/dlpar keyword
        { "cpu", "cpu", "cpu" },
        { "memory", "mem", "memory" },
        { "mem", "mem", "memory" },
        { "pci", "pci", null },
        { "phb", "phb", null },
        { "slot", "slot", null },
        { "dt", null, "dt" },
    };

    [Theory]
    [MemberData(nameof(Words))]
    public void Every_grammar_word_names_the_same_row(string word, string? drmgrWord, string? kernelKeyword)
    {
        ResourceType row = ResourceTable.ByWord(word)!;

        Assert.Equal(row, drmgrWord is null ? row : ResourceTable.ByDrmgrWord(drmgrWord));
        Assert.Equal(kernelKeyword, row.KernelKeyword);
        Assert.Equal(row.Resource, RequestGrammar.Parse($"{word} add index 0x10000000").Request.Resource);
    }

    [Fact]
    public void Each_resource_and_event_code_has_exactly_one_row()
    {
        foreach (DlparResource resource in Enum.GetValues<DlparResource>())
        {
            Assert.Single(ResourceTable.Rows, r => r.Resource == resource);
        }

        foreach (HotplugResource code in Enum.GetValues<HotplugResource>())
        {
            Assert.Single(ResourceTable.Rows, r => r.HotplugCode == code);
        }

        string[] words = [.. ResourceTable.Rows.SelectMany(r => (string[])[r.Word, .. r.Aliases])];
        Assert.Equal(words.Length, words.Distinct().Count());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("pmem")]
    [InlineData("port")]
    [InlineData("Memory")]
    public void A_word_that_names_no_engine_resource_is_refused_not_routed(string word)
    {
        Assert.Null(ResourceTable.ByWord(word));
        Assert.Throws<DlparFormatException>(() => RequestGrammar.Parse($"{word} add index 1"));
    }

    [Theory]
    [InlineData("port")]
    [InlineData("phib")]
    [InlineData("pmig")]
    [InlineData("acc")]
    [InlineData("memory")]
    public void Drmgr_words_that_name_no_resource_have_no_row(string word) => Assert.Null(ResourceTable.ByDrmgrWord(word));

    [Theory]
    [InlineData("cpu add indexed-count 2 0x10000000", "cpu takes count, index or name")]
    [InlineData("pci add count 1", "pci takes index or name")]
    [InlineData("dt add count 1", "dt takes only index")]
    public void Targets_a_resource_does_not_take_are_refused_with_its_forms(string request, string message)
    {
        var error = Assert.Throws<DlparFormatException>(() => RequestGrammar.Parse(request));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CPU", ConnectorKind.Cpu)]
    [InlineData("MEM", ConnectorKind.Memory)]
    [InlineData("28", ConnectorKind.Pci)]
    [InlineData("PHB", ConnectorKind.Phb)]
    [InlineData("SLOT", ConnectorKind.Slot)]
    [InlineData("PMEM", ConnectorKind.Pmem)]
    [InlineData("HEA", ConnectorKind.Port)]
    [InlineData("ACC", ConnectorKind.Other)]
    public void A_connectors_kind_comes_from_its_drc_type(string drcType, ConnectorKind kind)
    {
        Assert.Equal(kind, ConnectorKinds.Of(new DrcConnector(1, "x", drcType, 0)));
        Assert.Equal(kind, ConnectorKinds.Parse(ConnectorKinds.Word(kind)));
    }
}
