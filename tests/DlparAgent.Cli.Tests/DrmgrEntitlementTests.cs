using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// <c>drmgr -p ent_capacity|variable_weight</c> as the HMC runs it on an emulated PowerVM partition
/// (shared-processor by default): one lparcfg write per request, the value the hypervisor set
/// reported, saved with the machine; drmgr's exit codes.
/// </summary>
public sealed class DrmgrEntitlementTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-entitlement-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public void Processing_units_are_added_and_removed_within_the_pool_and_the_partitions_range()
    {
        Init();

        Assert.Equal((0, "partition_entitled_capacity: 150 -> 200\n"), Drmgr("-c", "cpu", "-a", "-q", "50", "-p", "ent_capacity", "-w", "5", "-d", "1"));
        Assert.Equal((0, "partition_entitled_capacity: 200 -> 550 (asked 700; the hypervisor constrained it)\n"),
            Drmgr("-c", "cpu", "-a", "-q", "500", "-p", "ent_capacity"));
        Assert.Equal((1, "Cannot reduce ent_capacity (partition_entitled_capacity) by more than is currently available: current value 550, " +
            "asked to remove 600\n"), Drmgr("-c", "cpu", "-r", "-q", "600", "-p", "ent_capacity"));
        Assert.Equal((0, "partition_entitled_capacity: 550 -> 50\n"), Drmgr("-c", "cpu", "-r", "-q", "500", "-p", "ent_capacity"));
        var (code, error) = Drmgr("-c", "cpu", "-r", "-q", "45", "-p", "ent_capacity");
        Assert.Equal(255, code);
        Assert.Contains("5 is outside the partition's range 10 to 800: Invalid argument", error, StringComparison.Ordinal);

        Assert.Equal((0, "capacity_weight: 128 -> 138\n"), Drmgr("-c", "cpu", "-a", "-q", "10", "-p", "variable_weight"));
        string log = File.ReadAllText(Path.Combine(_state, "drmgr.log"));
        Assert.Contains("drmgr: -c cpu -a -q 10 -p variable_weight \n", log, StringComparison.Ordinal);
    }

    [Fact]
    public void The_entitlement_outlives_a_machine_reset()
    {
        Init("--entitled-capacity", "300");
        Assert.Equal(0, Drmgr("-c", "cpu", "-a", "-q", "25", "-p", "ent_capacity").Item1);

        Assert.Equal(0, Run("--state-dir", _state, "platform", "reset").ExitCode);

        Assert.Equal((0, "partition_entitled_capacity: 325 -> 324\n"), Drmgr("-c", "cpu", "-r", "-q", "1", "-p", "ent_capacity"));
    }

    [Fact]
    public void A_dedicated_partition_refuses_with_the_kernels_errno_and_drmgr_C_still_reports_the_key()
    {
        Init("--processor-mode", "dedicated");

        var (code, error) = Drmgr("-c", "cpu", "-a", "-q", "50", "-p", "ent_capacity");
        Assert.Equal(255, code);
        Assert.Contains("a dedicated-processor partition cannot change its entitlement: Invalid argument", error, StringComparison.Ordinal);

        var capabilities = Run("--state-dir", _state, "drmgr", "-C");
        Assert.Contains("cpu_entitlement=yes,mem_entitlement=no,", capabilities.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_entitlement_needs_active_memory_sharing()
    {
        Init();
        var (code, error) = Drmgr("-c", "mem", "-a", "-q", "10", "-p", "variable_weight");
        Assert.Equal(255, code);
        Assert.Contains("Memory entitlement capability is not enabled on this platform", error, StringComparison.Ordinal);

        Init("--ams");
        Assert.Equal((0, "entitled_memory_weight: 64 -> 74\n"), Drmgr("-c", "mem", "-a", "-q", "10", "-p", "variable_weight"));
        Assert.Equal((0, "entitled_memory: 2147483648 -> 2415919104\n"), Drmgr("-c", "mem", "-a", "-q", "268435456", "-p", "ent_capacity"));
        Assert.Contains("mem_entitlement=yes", Run("--state-dir", _state, "drmgr", "-C").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--processor-mode", "dedicated", "--profile", "qemu")]
    [InlineData("--ams", "--profile", "qemu")]
    [InlineData("--processor-mode", "dedicated", "--entitled-capacity", "200", "--profile", "powervm")]
    [InlineData("--entitled-capacity", "900", "--profile", "powervm")]
    public void Init_refuses_an_entitlement_that_cannot_be(params string[] options) =>
        Assert.Equal(64, Run(["--state-dir", _state, "platform", "init", "--force", .. options]).ExitCode);

    private void Init(params string[] options) =>
        Assert.Equal(0, Run(["--state-dir", _state, "platform", "init", "--force", "--profile", "powervm", .. options]).ExitCode);

    /// <summary>drmgr's exit code and stderr (the entitlement path prints nothing on stdout).</summary>
    private (int, string) Drmgr(params string[] args)
    {
        var (code, output, error) = Run(["--state-dir", _state, "drmgr", .. args]);
        Assert.Equal(string.Empty, output);
        return (code, error);
    }
}
