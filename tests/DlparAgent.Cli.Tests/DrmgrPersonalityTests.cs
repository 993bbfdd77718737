using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>drmgr's command lines as the HMC and rtas_errd send them, on the emulated partition.</summary>
public sealed class DrmgrPersonalityTests : IDisposable
{
    private const string Usage = "Usage: drmgr [-w minutes] [-d detail_level] [-C | --capabilities] [-h | --help]";

    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-drmgr-" + Guid.NewGuid().ToString("N"));

    public DrmgrPersonalityTests()
    {
        Run("platform", "init", "--state-dir", _state);
    }

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private (int ExitCode, string Out, string Error) Drmgr(params string[] args) => Run(["--state-dir", _state, "drmgr", .. args]);

    private void Platform(params string[] args) => Assert.Equal(0, Run(["platform", .. args, "--state-dir", _state]).ExitCode);

    [Fact]
    public void Memory_prints_the_total_for_the_hmc()
    {
        Platform("assign", "memory", "--size", "1G");

        Assert.Equal((0, "DR_TOTAL_RESOURCES=4\n"), Pick(Drmgr("-c", "mem", "-a", "-q", "4", "-w", "5", "-d", "1")));
        var (code, output, error) = Drmgr("-cmem", "-rq2");
        // The kernel path (NUMA-balanced, one LMB at a time) says nothing more, as drmgr's does.
        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n", "Validating Memory DLPAR capability...yes.\n"), (code, output, error));
        Assert.Equal((255, "DR_TOTAL_RESOURCES=0\n"), Pick(Drmgr("-c", "mem", "-a", "-q", "0x10")));
    }

    [Fact]
    public void A_removal_by_count_beyond_what_is_there_keeps_what_went_and_succeeds_as_drmgrs_numa_removal_does()
    {
        Platform("assign", "memory", "--size", "1G");
        Assert.Equal((0, "DR_TOTAL_RESOURCES=4\n"), Pick(Drmgr("-c", "mem", "-a", "-q", "4")));

        Assert.Equal((0, "DR_TOTAL_RESOURCES=4\n"), Pick(Drmgr("-c", "mem", "-r", "-q", "6")));
        Assert.Equal((0, "DR_TOTAL_RESOURCES=0\n"), Pick(Drmgr("-c", "mem", "-r", "-q", "1")));
        string log = File.ReadAllText(Path.Combine(_state, "drmgr.log"));
        Assert.Contains("only 4 of 6 LMBs could be removed", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Cpus_print_one_drc_name_per_line()
    {
        Platform("assign", "cpu", "--core-id", "1");
        Platform("assign", "cpu", "--core-id", "2");

        Assert.Equal((0, "CPU 1\nCPU 2\n"), Pick(Drmgr("-c", "cpu", "-a", "-q", "2", "-w", "5", "-d", "1")));
        Assert.Equal((0, "CPU 2\n"), Pick(Drmgr("-c", "cpu", "-r", "-q", "1", "-w", "5", "-d", "1")));
        Assert.Equal((0, "CPU 2\n"), Pick(Drmgr("-c", "cpu", "-a", "-s", "0x10000002")));
    }

    [Fact]
    public void Rtas_errd_and_hmc_io_command_lines_work()
    {
        Platform("assign", "pci", "--phb", "0", "--slot", "3");
        Platform("assign", "phb", "--index", "1");

        Assert.Equal(0, Drmgr("-c", "pci", "-a", "-s", "0x40000018", "-n", "-d4", "-V").ExitCode);
        Assert.Equal(0, Drmgr("-c", "phb", "-a", "-s", "PHB 1", "-d", "1").ExitCode);
        Assert.Equal(5, Drmgr("-c", "phb", "-a", "-s", "PHB 1").ExitCode);
        Assert.Equal(6, Drmgr("-c", "phb", "-Q", "-s", "PHB 1").ExitCode);
        // As drmgr: a PHB the partition does not own is not among its PHB nodes, so it does not exist.
        Assert.Equal(3, Drmgr("-c", "phb", "-Q", "-s", "PHB 2").ExitCode);
        Assert.Equal(3, Drmgr("-c", "slot", "-Q", "-s", "U8233.E8B.1000C9P-V1-C3").ExitCode);
        Assert.Equal(0, Drmgr("-c", "pci", "-r", "-s", "C24", "-n").ExitCode);
    }

    [Fact]
    public void Capabilities_are_one_line_on_stdout()
    {
        var (code, output, error) = Drmgr("-C");

        Assert.Equal(0, code);
        Assert.Equal("cpu_dlpar=yes,mem_dlpar=yes,slot_dlpar=yes,phb_dlpar=yes,hea_dlpar=no,pmig=no," +
            "cpu_entitlement=no,mem_entitlement=no,slb_resize=no,phib=yes\n", output);
        Assert.Contains("Validating CPU DLPAR capability...yes.", error, StringComparison.Ordinal);
        Assert.Equal(0, Drmgr("--capabilities").ExitCode);
    }

    private const string Total0 = "DR_TOTAL_RESOURCES=0\n";

    [Theory]
    [InlineData("Invalid option specified 'x'", "", "-c", "mem", "-a", "-x", "-q", "5")]
    [InlineData("A connector type (-c) must be specified", "", "-a", "-q", "1")]
    [InlineData("Only one action may be specified", Total0, "-c", "mem", "-a", "-r")]
    [InlineData("'0xzz' is not a valid DRC index", Total0, "-c", "mem", "-a", "-s", "0xzz")]
    [InlineData("The -q and -s options cannot be used together", "", "-c", "cpu", "-a", "-q", "1", "-s", "CPU 1")]
    [InlineData("'many' is not a valid quantity (1 to 2147483647)", Total0, "-c", "mem", "-a", "-q", "many")]
    [InlineData("'4294967295' is not a valid quantity (1 to 2147483647)", Total0, "-c", "mem", "-r", "-q", "4294967295")]
    [InlineData("Option '-q' requires a value", "", "-c", "mem", "-a", "-q")]
    public void An_invalid_command_line_runs_nothing(string message, string output, params string[] args)
    {
        Platform("assign", "memory", "--size", "1G");

        var (code, printed, error) = Drmgr(args);

        // The HMC reads DR_TOTAL_RESOURCES of every memory add or remove it asked for, refused ones too.
        Assert.Equal(255, code);
        Assert.Equal(output, printed);
        Assert.StartsWith(message + "\n" + Usage + "\n", error, StringComparison.Ordinal);
        using var state = System.Text.Json.JsonDocument.Parse(Run("platform", "show", "--json", "--state-dir", _state).Out);
        Assert.All(
            state.RootElement.GetProperty("drcs").EnumerateArray().Where(d => d.GetProperty("device").GetString() == "mem0"),
            d => Assert.Equal("logical-unusable", d.GetProperty("state").GetString()));
    }

    [Theory]
    [InlineData("unexpected argument 'extra'", "-c", "mem", "-a", "-q", "1", "extra")]
    [InlineData("'C8\\nforged' is not a connector: a DRC name or index holds no control characters", "-c", "pci", "-a", "-s", "C8\nforged", "-n")]
    public void Stray_words_and_control_characters_are_refused_and_forge_no_log_line(string message, params string[] args)
    {
        var (code, _, error) = Drmgr(args);

        Assert.Equal(255, code);
        Assert.Equal(message, error.Split('\n')[0]);
        string logFile = Path.Combine(_state, "drmgr.log");
        string log = File.Exists(logFile) ? File.ReadAllText(logFile) : string.Empty;
        Assert.DoesNotContain(log.Split('\n'), line => line.StartsWith("forged", StringComparison.Ordinal));
    }

    [Fact]
    public void No_arguments_or_help_print_usage_and_succeed()
    {
        Assert.Equal((0, string.Empty), (Drmgr().ExitCode, Drmgr().Out));
        var (code, _, error) = Drmgr("-c", "pci", "-h");
        Assert.Equal(0, code);
        Assert.Equal(Usage + "\n-c pci -s <drc_name | drc_index> {-i | -a [-I] | -r [-I] | -R [-I]}\n", error);
    }

    [Fact]
    public void Unsupported_types_say_so()
    {
        var (code, _, error) = Drmgr("-c", "port", "-a", "-s", "HEA 1");

        Assert.Equal(255, code);
        Assert.Equal("drmgr: -c port is not supported on this system\n", error);
    }

    [Theory]
    [InlineData(255, "CPU entitlement capability is not enabled on this platform (the kernel has no lparcfg)\n", "-c", "cpu", "-a", "-q", "50",
        "-p", "ent_capacity")]
    [InlineData(255, "Memory entitlement capability is not enabled on this platform (the kernel has no lparcfg)\n", "-c", "mem", "-r", "-q", "1",
        "-p", "variable_weight")]
    [InlineData(255, "-p ent_capacity changes a quantity (-q), not a connector (-s)\n", "-c", "cpu", "-a", "-s", "CPU 1", "-p", "ent_capacity")]
    public void On_a_qemu_partition_entitlement_changes_are_refused_for_want_of_lparcfg(int expected, string message, params string[] args)
    {
        var (code, output, error) = Drmgr(args);

        Assert.Equal((expected, string.Empty), (code, output));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    private static (int, string) Pick((int ExitCode, string Out, string Error) run) => (run.ExitCode, run.Out);
}
