using DlparAgent.Core.Formats;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Tests.Requests;

public class RequestGrammarTests
{
    public static TheoryData<string, string, bool> Valid => new()
    {
        { "memory add count 4", "memory add count 4", true },
        { "  mem\tremove   count 0x10 \n", "memory remove count 16", false },
        { "memory add indexed-count 4 0x80000010", "memory add indexed-count 4 0x80000010", true },
        { "memory remove name \"LMB 16\"", "memory remove name \"LMB 16\"", false },
        { "cpu add index 0x10000008", "cpu add index 0x10000008", true },
        { "cpu add count 2", "cpu add count 2", false },
        { "cpu remove name \"CPU 8\"", "cpu remove name \"CPU 8\"", false },
        { "pci add index 0x40000018", "pci add index 0x40000018", false },
        { "pci remove name C24", "pci remove name C24", false },
        { "phb add name \"PHB 1\"", "phb add name \"PHB 1\"", false },
        { "slot remove name U8233.E8B.1000C9P-V1-C3", "slot remove name U8233.E8B.1000C9P-V1-C3", false },
        { "slot add name \"odd \\\"name\\\\\"", "slot add name \"odd \\\"name\\\\\"", false },
        { "dt add index 0x40000018", "dt add index 0x40000018", true },
        { "memory add count 010", "memory add count 8", true },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses_and_normalizes(string text, string normalized, bool kernelAccepts)
    {
        ParsedRequest parsed = RequestGrammar.Parse(text);

        Assert.Equal(normalized, parsed.Normalized);
        Assert.Equal(kernelAccepts, parsed.Kernel.Accepted);
        Assert.Equal(parsed.Request, RequestGrammar.Parse(parsed.Normalized).Request);
    }

    [Theory]
    [InlineData("", "resource")]
    [InlineData("disk add count 1", "resource")]
    [InlineData("memory grow count 1", "action")]
    [InlineData("memory add", "id type")]
    [InlineData("memory add size 4", "id type")]
    [InlineData("memory add count", "count")]
    [InlineData("memory add count four", "count")]
    [InlineData("memory add count 0", "count")]
    [InlineData("memory add count 4294967296", "count")]
    [InlineData("memory add count 4 more", "trailing text")]
    [InlineData("memory add index \"0x10\"", "index")]
    [InlineData("memory add name \"LMB 16", "name")]
    [InlineData("memory add name \"\"", "name")]
    [InlineData("memory add name \"a\"b", "name")]
    [InlineData("memory add name a\"b", "token")]
    [InlineData("cpu add indexed-count 1 0x10000000", "id type")]
    [InlineData("pci add count 1", "id type")]
    [InlineData("dt add name C24", "id type")]
    public void Refuses_bad_text_naming_the_part(string text, string field)
    {
        var error = Assert.Throws<DlparFormatException>(() => RequestGrammar.Parse(text));

        Assert.Equal("request", error.Format);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Quote_leaves_plain_names_bare()
    {
        Assert.Equal("C24", RequestGrammar.Quote("C24"));
        Assert.Equal("\"CPU 8\"", RequestGrammar.Quote("CPU 8"));
    }
}
