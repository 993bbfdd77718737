using System.Text.Json;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary><c>dlpar set …</c>: drmgr's <c>-p</c> and <c>-c acc</c> in the modern CLI, with absolute and relative values, JSON and dry runs.</summary>
public sealed class SetCommandTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-set-" + Guid.NewGuid().ToString("N"));

    public SetCommandTests() =>
        Assert.Equal(0, Run("--state-dir", _state, "platform", "init", "--profile", "powervm", "--ams").ExitCode);

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Theory]
    [InlineData("entitlement", "+50", "partition_entitled_capacity: 150 -> 200\n")]
    [InlineData("entitlement", "-40", "partition_entitled_capacity: 150 -> 110\n")]
    [InlineData("entitlement", "90", "partition_entitled_capacity: 150 -> 90\n")]
    [InlineData("entitlement", "700", "partition_entitled_capacity: 150 -> 550 (asked 700; the hypervisor constrained it)\n")]
    [InlineData("weight", "200", "capacity_weight: 128 -> 200\n")]
    [InlineData("memory-weight", "+1", "entitled_memory_weight: 64 -> 65\n")]
    [InlineData("memory-entitlement", "1073741824", "entitled_memory: 2147483648 -> 1073741824\n")]
    [InlineData("nx-credits", "20", "gzip QoS credits: 0 -> 20 (0 in use)\n")]
    public void A_setting_changes_once_and_says_what_was_set(string setting, string value, string expected)
    {
        Assert.Equal((0, expected), Pick(Set(setting, value)));
    }

    [Theory]
    [InlineData(1, "entitlement", "-200")]
    [InlineData(1, "weight", "256")]
    [InlineData(64, "entitlement", "ten")]
    [InlineData(64, "nx-credits", "+5")]
    [InlineData(64, "nx-credits", "70000")]
    public void An_impossible_value_is_refused_with_one_line(int code, string setting, string value)
    {
        var (exit, output, error) = Set(setting, value);

        Assert.Equal((code, string.Empty), (exit, output));
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_dry_run_shows_the_write_and_changes_nothing()
    {
        var (code, output, _) = Set("entitlement", "+25", "--dry-run", "--json");

        Assert.Equal(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        Assert.True(document.RootElement.GetProperty("dryRun").GetBoolean());
        JsonElement write = Assert.Single(document.RootElement.GetProperty("calls").EnumerateArray());
        Assert.Equal(("/proc/powerpc/lparcfg", "partition_entitled_capacity=175\\x0a"),
            (write.GetProperty("path").GetString(), write.GetProperty("content").GetString()));
        Assert.Equal((0, "partition_entitled_capacity: 150 -> 151\n"), Pick(Set("entitlement", "+1")));
    }

    [Fact]
    public void A_qemu_partition_has_neither_lparcfg_nor_an_accelerator()
    {
        Assert.Equal(0, Run("--state-dir", _state, "platform", "init", "--force").ExitCode);

        Assert.Equal(69, Set("entitlement", "+1").ExitCode);
        Assert.Equal(69, Set("nx-credits", "1").ExitCode);
    }

    private (int ExitCode, string Out, string Error) Set(params string[] args) => Run(["--state-dir", _state, "set", .. args]);

    private static (int, string) Pick((int ExitCode, string Out, string Error) run) => (run.ExitCode, run.Out);
}
