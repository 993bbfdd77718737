using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Tests.Requests;

public class KernelDlparGrammarTests
{
    /// <summary>Text, whether Linux accepts it, and the request it then runs (agent grammar form).</summary>
    public static TheoryData<string, bool, string?> Cases => new()
    {
        { "memory add count 4", true, "memory add count 4" },
        { "memory remove count 4\n", true, "memory remove count 4" },
        { "memory add index 0x80000010", true, "memory add index 0x80000010" },
        { "memory add index 0X8000001f", true, "memory add index 0x8000001f" },
        { "memory remove indexed-count 4 0x80000010", true, "memory remove indexed-count 4 0x80000010" },
        { "memory add count 010", true, "memory add count 8" }, // leading 0: octal, as kstrtou32 reads it
        { "memory add count +5", true, "memory add count 5" },
        { "memory add count 4 trailing words are ignored", true, "memory add count 4" },
        { "cpu add index 0x10000008", true, "cpu add index 0x10000008" },
        { "cpu remove index 268435464", true, "cpu remove index 0x10000008" },
        { "dt add index 0x40000018", true, "dt add index 0x40000018" },
        { "dt remove index 0x20000001\n", true, "dt remove index 0x20000001" },
        { "memory\n add count 4", true, "memory add count 4" }, // sysfs_streq allows the newline on any word
        { "memory  add count 4", false, null }, // two spaces: an empty token
        { " memory add count 4", false, null },
        { "memory add count 4 ", true, "memory add count 4" }, // the empty token after the count is never read
        { "memory add count 0x", false, null },
        { "memory add count 08", false, null }, // 8 is not an octal digit
        { "memory add count -1", false, null },
        { "memory add count 4294967296", false, null },
        { "memory add count", false, null },
        { "memory add indexed-count 4", false, null },
        { "memory add name LMB 16", false, null },
        { "memory replace count 4", false, null },
        { "cpu add count 1", false, null }, // cpu by count was removed in v5.16
        { "cpu remove indexed-count 1 0x10000000", false, null },
        { "dt add count 1", false, null },
        { "pci add index 0x40000018", false, null },
        { "phb add index 0x20000001", false, null },
        { "slot add index 0x30000002", false, null },
        { "Memory add count 4", false, null },
        { "", false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Accepts_exactly_what_linux_accepts(string text, bool accepted, string? request)
    {
        KernelRequestCheck check = KernelDlparGrammar.Check(text);

        Assert.Equal(accepted, check.Accepted);
        Assert.Equal(request, check.Request?.ToString());
        Assert.Equal(accepted, check.Reason is null);
    }

    [Fact]
    public void Formats_requests_as_drmgr_writes_them()
    {
        Assert.Equal("memory add count 4", KernelDlparGrammar.Format(new DlparRequest(DlparResource.Memory, DlparAction.Add, new DlparTarget.ByCount(4))));
        Assert.Equal("cpu remove index 0x10000008", KernelDlparGrammar.Format(new DlparRequest(DlparResource.Cpu, DlparAction.Remove,
            new DlparTarget.ByIndex(0x10000008))));
        Assert.Equal("memory add indexed-count 2 0x80000008", KernelDlparGrammar.Format(new DlparRequest(DlparResource.Memory, DlparAction.Add,
            new DlparTarget.ByIndexedCount(2, 0x80000008))));
        Assert.Throws<ArgumentException>(() => KernelDlparGrammar.Format(new DlparRequest(DlparResource.Cpu, DlparAction.Add, new DlparTarget.ByCount(1))));
        Assert.Throws<ArgumentException>(() => KernelDlparGrammar.Format(new DlparRequest(DlparResource.Pci, DlparAction.Add, new DlparTarget.ByIndex(1))));
    }
}
