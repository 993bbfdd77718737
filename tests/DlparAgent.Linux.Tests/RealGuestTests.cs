using DlparAgent.Core.Drc;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux.Diagnostics;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Kernel;
using DlparAgent.Linux.Rtas;

namespace DlparAgent.Linux.Tests;

/// <summary>Read-only checks against the real firmware and kernel of a Power guest; nothing is changed.</summary>
public sealed class RealGuestTests
{
    private static readonly LinuxPaths System = new("/");

    [RealGuestFact]
    public void The_boot_cpu_senses_present_through_the_rtas_syscall()
    {
        var native = new LibcNative(LinuxAbi.Current!);
        var kernel = new LinuxKernel(System, native);
        DrcConnector cpu = DrcCatalog.FromTree(kernel.ReadDeviceTree()).OfType("CPU").First();
        using var rtas = new SysRtas(System, native) { HandleDelays = true };

        RtasResult sense = rtas.GetSensorState(DrIndicators.EntitySense, cpu.Index);

        Assert.Equal(RtasStatus.Success, sense.Status);
        Assert.Equal(DrIndicators.SensePresent, sense.Value);
    }

    [RealGuestFact]
    public void The_kernel_files_read_consistently()
    {
        var kernel = new LinuxKernel(System, new LibcNative(LinuxAbi.Current!));

        Assert.NotEmpty(kernel.ReadCpuThreads());
        Assert.Contains(kernel.ReadCpuThreads(), t => t.Online);
        Assert.NotNull(kernel.ReadDeviceTree().Find("/cpus"));
    }

    [RealGuestFact]
    public void Doctor_finds_rtas_and_root()
    {
        DoctorReport report = new Doctor(System, new LibcNative(LinuxAbi.Current!)).Examine();

        Assert.Equal(CheckStatus.Ok, report.Checks.Single(c => c.Name == "rtas").Status);
        Assert.Equal(CheckStatus.Ok, report.Checks.Single(c => c.Name == "root").Status);
    }
}
