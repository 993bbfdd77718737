using System.Text.Json;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary><c>dlpar list</c> and <c>dlpar show</c> on the emulated partition, checked against lsslot and the operations run.</summary>
public sealed class InventoryCommandTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-inventory-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public void List_memory_owns_what_was_added_and_names_what_lsslot_names()
    {
        Setup();
        Assert.Equal(0, Dlpar("add", "memory", "--count", "3").ExitCode);

        var (code, output, _) = Dlpar("list", "memory", "--owned", "--json");
        Assert.Equal(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        string[] owned = [.. document.RootElement.GetProperty("connectors").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];
        Assert.Equal(3, owned.Length);
        string[] lsslotNames = [.. Dlpar("lsslot", "-c", "mem").Out.Split('\n').Where(l => l.StartsWith("LMB ",
            StringComparison.Ordinal)).Select(l => l.TrimEnd(':'))];
        Assert.Equal(lsslotNames.Order(), owned.Order());
        Assert.All(document.RootElement.GetProperty("connectors").EnumerateArray(), c =>
        {
            Assert.Equal("memory", c.GetProperty("kind").GetString());
            Assert.True(c.GetProperty("memory").GetProperty("blocks").EnumerateArray().All(b => b.GetProperty("online").GetBoolean()));
        });

        string text = Dlpar("list", "mem", "--free").Out;
        Assert.StartsWith("INDEX       NAME", text, StringComparison.Ordinal);
        Assert.DoesNotContain(owned[0] + " ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_by_name_and_by_index_agree_and_ask_the_firmware()
    {
        Setup();
        Assert.Equal(0, Dlpar("add", "cpu", "--count", "1").ExitCode);

        string byName = Dlpar("show", "CPU 1").Out;
        Assert.Equal(byName, Dlpar("show", "0x10000001").Out);
        Assert.Contains("Owned:         yes", byName, StringComparison.Ordinal);
        Assert.Contains("Entity sense:  present (1)", byName, StringComparison.Ordinal);
        Assert.Matches(@"Threads:\s+cpu\d+ \(online\)", byName);

        using JsonDocument free = JsonDocument.Parse(Dlpar("show", "CPU 5", "--json").Out);
        Assert.False(free.RootElement.GetProperty("owned").GetBoolean());
        Assert.Equal("unusable", free.RootElement.GetProperty("sense").GetProperty("meaning").GetString());
        Assert.False(JsonDocument.Parse(Dlpar("show", "CPU 5", "--json", "--no-firmware").Out).RootElement.TryGetProperty("sense", out _));
    }

    [Theory]
    [InlineData(new[] { "show", "LMB 99" }, 66)]
    [InlineData(new[] { "show", "0x7777" }, 66)]
    [InlineData(new[] { "list", "disks" }, 64)]
    [InlineData(new[] { "list", "cpu", "--owned", "--free" }, 64)]
    public void Bad_names_and_types_are_errors_with_one_json_document(string[] args, int exitCode)
    {
        Setup();

        var (code, output, error) = Dlpar([.. args, "--json"]);

        Assert.Equal(exitCode, code);
        using JsonDocument document = JsonDocument.Parse(output);
        Assert.False(document.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(exitCode, document.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32());
        Assert.StartsWith("dlpar: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_phb_lists_its_occupied_slots()
    {
        Setup();
        Assert.Equal(0, Dlpar("platform", "assign", "phb", "--index", "1").ExitCode);
        Assert.Equal(0, Dlpar("platform", "assign", "pci", "--phb", "1", "--slot", "3").ExitCode);
        Assert.Equal(0, Dlpar("add", "phb", "--name", "PHB 1").ExitCode);

        using JsonDocument phb = JsonDocument.Parse(Dlpar("show", "PHB 1", "--json").Out);
        Assert.True(phb.RootElement.GetProperty("owned").GetBoolean());
        using JsonDocument pci = JsonDocument.Parse(Dlpar("list", "pci", "--owned", "--json").Out);
        string slot = Assert.Single(pci.RootElement.GetProperty("connectors").EnumerateArray()).GetProperty("name").GetString()!;
        Assert.Equal([slot], phb.RootElement.GetProperty("slots").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("PHB 1", Dlpar("list", "phb", "--owned").Out, StringComparison.Ordinal);
    }

    private void Setup()
    {
        Assert.Equal(0, Dlpar("platform", "init", "--phbs", "1").ExitCode);
        Assert.Equal(0, Dlpar("platform", "assign", "memory", "--size", "1G").ExitCode);
        Assert.Equal(0, Dlpar("platform", "assign", "cpu", "--core-id", "1").ExitCode);
    }

    private (int ExitCode, string Out, string Error) Dlpar(params string[] args) => Run(["--state-dir", _state, .. args]);
}
