using System.Text.Json;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// <c>--dry-run</c> prints the RTAS calls and kernel writes an operation would make and changes
/// nothing: the state file and the journal keep their bytes, and the real run that follows does
/// what the dry run said.
/// </summary>
public sealed class DryRunTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-dryrun-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Theory]
    [InlineData("memory,cpu,dt", new[] { "add", "memory", "--count", "3" }, "/sys/kernel/dlpar")]
    [InlineData("", new[] { "add", "memory", "--count", "3" }, "/sys/devices/system/memory/probe")]
    [InlineData("", new[] { "add", "cpu", "--count", "1" }, "/sys/devices/system/cpu/probe")]
    [InlineData("dt", new[] { "add", "pci", "--index", "0x40000010" }, "/sys/kernel/dlpar")]
    [InlineData("", new[] { "add", "pci", "--index", "0x40000010" }, "/proc/powerpc/ofdt")]
    public void A_dry_run_changes_nothing_and_foretells_the_real_run(string kernel, string[] operation, string writtenFile)
    {
        Setup(kernel);
        Assert.Equal(0, Dlpar("platform", "interrupt").ExitCode);
        Dictionary<string, byte[]> before = Files();

        var (code, output, error) = Dlpar([.. operation, "--dry-run", "--json"]);

        Assert.True(code == 0, error);
        Assert.Equal(before.Keys.Order(), Files().Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
        using JsonDocument dry = JsonDocument.Parse(output);
        Assert.True(dry.RootElement.GetProperty("dryRun").GetBoolean());
        JsonElement[] calls = [.. dry.RootElement.GetProperty("calls").EnumerateArray()];
        Assert.Contains(calls, c => c.GetProperty("kind").GetString() == "rtas");
        Assert.Contains(calls, c => c.GetProperty("kind").GetString() == "write" && c.GetProperty("path").GetString() == writtenFile);

        using JsonDocument real = JsonDocument.Parse(Dlpar([.. operation, "--json"]).Out);
        Assert.False(real.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(Connectors(dry), Connectors(real));
    }

    [Fact]
    public void The_text_form_lists_each_call_on_its_own_line()
    {
        Setup("memory,cpu,dt");

        var (code, output, _) = Dlpar("add", "memory", "--count", "2", "--dry-run");

        Assert.Equal(0, code);
        string[] lines = output.Split('\n');
        Assert.Equal("dry run: nothing was changed; these calls would be made:", lines[0]);
        Assert.Equal("  write /sys/kernel/dlpar \"memory add count 2\"", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("  rtas get-sensor-state 9003 0x8000", StringComparison.Ordinal));
        Assert.Contains("memory add count 2: 2 of 2 done (kernel path)", output, StringComparison.Ordinal);
        Assert.Contains("free", Dlpar("show", "LMB 8").Out.Replace("Owned:         no", "free", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_dry_run_is_refused_and_still_changes_nothing()
    {
        Setup("memory,cpu,dt");
        Dictionary<string, byte[]> before = Files();

        var (code, output, error) = Dlpar("add", "cpu", "--name", "CPU 0", "--dry-run", "--json");

        Assert.Equal(1, code);
        Assert.StartsWith("dlpar: CPU 0 (0x10000000) is already present", error, StringComparison.Ordinal);
        Assert.Equal("CPU 0 (0x10000000) is already present", JsonDocument.Parse(output).RootElement.GetProperty("refused").GetString());
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
    }

    private static string[] Connectors(JsonDocument document) =>
        [.. document.RootElement.GetProperty("results").EnumerateArray().SelectMany(r => r.GetProperty("connectors").EnumerateArray())
            .Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("outcome").GetString()}")];

    private Dictionary<string, byte[]> Files() => Directory.EnumerateFiles(_state, "*", SearchOption.AllDirectories)
        .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
        .ToDictionary(f => f, File.ReadAllBytes);

    private void Setup(string kernel)
    {
        Assert.Equal(0, Dlpar("platform", "init", "--kernel-dlpar", kernel).ExitCode);
        Assert.Equal(0, Dlpar("platform", "assign", "memory", "--size", "1G").ExitCode);
        Assert.Equal(0, Dlpar("platform", "assign", "cpu", "--core-id", "1").ExitCode);
        Assert.Equal(0, Dlpar("platform", "assign", "pci", "--phb", "0", "--slot", "2").ExitCode);
    }

    private (int ExitCode, string Out, string Error) Dlpar(params string[] args) => Run(["--state-dir", _state, .. args]);
}
