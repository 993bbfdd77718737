using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Diagnostics;
using DlparAgent.Linux.Tests.Support;

namespace DlparAgent.Linux.Tests;

/// <summary><c>dlpar doctor</c>'s findings on prepared roots: a complete guest, lockdown, an old kernel, a competing rtas_errd.</summary>
public sealed class DoctorTests : IDisposable
{
    private readonly FakeRoot _root;
    private readonly FakeNative _native;

    public DoctorTests()
    {
        EmulatedPartition partition = EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern);
        _root = new FakeRoot(partition);
        _native = new FakeNative(partition.Platform, _root);
    }

    public void Dispose()
    {
        _native.Dispose();
        _root.Dispose();
    }

    private DoctorReport Examine() => new Doctor(_root.Paths, _native).Examine();

    private static CheckStatus Status(IEnumerable<DoctorCheck> checks, string name) => checks.Single(c => c.Name == name).Status;

    [Fact]
    public void A_complete_guest_can_do_everything()
    {
        DoctorReport report = Examine();

        Assert.All(report.Verdicts, v => Assert.Equal(CheckStatus.Ok, v.Status));
        Assert.Equal(CheckStatus.Ok, Status(report.Checks, "rtas"));
        Assert.Equal(CheckStatus.Ok, Status(report.Checks, "rmo-buffer"));
        Assert.Contains("memory,cpu,dt", report.Checks.Single(c => c.Name == "kernel-dlpar").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_root_nothing_that_touches_firmware_works()
    {
        _native.IsRoot = false;

        DoctorReport report = Examine();

        Assert.Equal(CheckStatus.Problem, Status(report.Checks, "root"));
        Assert.All(report.Verdicts, v => Assert.Equal(CheckStatus.Problem, v.Status));
        Assert.False(report.AllOk);
    }

    [Fact]
    public void Under_lockdown_io_needs_the_kernels_dt_interface()
    {
        _root.Write("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        Assert.Equal(CheckStatus.Ok, Status(Examine().Verdicts, "io"));

        _root.Write("/sys/kernel/dlpar", "memory,cpu\n");
        DoctorReport report = Examine();
        Assert.Equal(CheckStatus.Warning, Status(report.Checks, "lockdown"));
        Assert.Equal(CheckStatus.Problem, Status(report.Verdicts, "io"));
        Assert.Equal(CheckStatus.Ok, Status(report.Verdicts, "cpu"));
    }

    [Fact]
    public void A_running_rtas_errd_is_named_and_blocks_the_event_service()
    {
        _root.Write("/proc/4242/comm", "rtas_errd\n");
        _root.Write("/proc/4243/comm", "bash\n");

        DoctorReport report = Examine();

        Assert.Contains("pid 4242", report.Checks.Single(c => c.Name == "rtas_errd").Detail, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Problem, Status(report.Verdicts, "events"));
    }

    [Fact]
    public void Without_the_rmo_buffer_or_a_configure_connector_token_only_kernel_paths_remain()
    {
        File.Delete(_root.Resolve("/proc/powerpc/rtas/rmo_buffer"));
        File.Delete(_root.Resolve("/sys/kernel/dlpar"));

        DoctorReport report = Examine();

        Assert.Equal(CheckStatus.Warning, Status(report.Checks, "rmo-buffer"));
        Assert.Equal(CheckStatus.Problem, Status(report.Verdicts, "cpu"));
        Assert.Equal(CheckStatus.Problem, Status(report.Verdicts, "memory"));
    }
}
