using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Tests.Requests;

/// <summary>The PRRN file rtas_errd writes for drmgr -P: <c>mem|cpu HEXINDEX</c> per line; bad lines named and skipped.</summary>
public sealed class PrrnFileTests
{
    [Fact]
    public void Each_line_names_a_cpu_or_an_lmb_by_index()
    {
        (IReadOnlyList<PrrnEntry> entries, IReadOnlyList<string> problems) = PrrnFile.Parse("mem 80000010\ncpu 10000002\r\n\nmem 0x8000001f\n");

        Assert.Empty(problems);
        Assert.Equal([new PrrnEntry(DlparResource.Memory, 0x80000010), new PrrnEntry(DlparResource.Cpu, 0x10000002),
            new PrrnEntry(DlparResource.Memory, 0x8000001f)], entries);
    }

    [Theory]
    [InlineData("pci 40000008", "line 1: Device type \"pci\" not recognized.")]
    [InlineData("mem", "line 1: \"mem\" is not 'mem <DRC index in hex>'")]
    [InlineData("mem 800000100", "line 1: \"mem 800000100\" is not 'mem <DRC index in hex>'")]
    [InlineData("cpu zz", "line 1: \"cpu zz\" is not 'cpu <DRC index in hex>'")]
    [InlineData("cpu 1 2", "line 1: \"cpu 1 2\" is not 'cpu <DRC index in hex>'")]
    [InlineData("\u0001 1", "line 1: Device type \"\\x01\" not recognized.")]
    public void A_bad_line_is_named_and_skipped(string line, string problem)
    {
        (IReadOnlyList<PrrnEntry> entries, IReadOnlyList<string> problems) = PrrnFile.Parse(line + "\nmem 80000008\n");

        Assert.Equal([problem], problems);
        Assert.Equal([new PrrnEntry(DlparResource.Memory, 0x80000008)], entries);
    }
}
