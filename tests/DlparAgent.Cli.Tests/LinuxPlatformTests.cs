using System.Text.Json;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Tests.Support;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// <c>--platform linux</c> on this x86-64 machine, over a system root mirrored from an emulated
/// partition: what needs only the kernel's files works; what needs the rtas syscall stops with a
/// clear message and exit status 69 (drmgr: 255).
/// </summary>
public sealed class LinuxPlatformTests : IDisposable
{
    private readonly FakeRoot _root;

    public LinuxPlatformTests()
    {
        var partition = EmulatedPartition.Create(new MachineProfile { BootCpus = 2, Threads = 2 }, KernelFeatures.Modern);
        partition.Platform.Management.PlugCpu(2, null, DeviceOrigin.Assigned);
        _root = new FakeRoot(partition);
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Listings_read_the_kernels_files()
    {
        var (code, output, error) = Linux("list", "cpu", "--json");

        Assert.True(code == 0, error);
        JsonElement[] cpus = [.. JsonDocument.Parse(output).RootElement.GetProperty("connectors").EnumerateArray()];
        JsonElement boot = cpus.Single(c => c.GetProperty("owned").GetBoolean());
        Assert.Equal("CPU 0", boot.GetProperty("name").GetString());
        Assert.Equal(2, boot.GetProperty("threads").GetArrayLength());
        Assert.Contains("LMB 8", Linux("lsslot", "-c", "mem", "-d", "4").Out, StringComparison.Ordinal);
        Assert.StartsWith("cpu_dlpar=yes,mem_dlpar=yes", Linux("drmgr", "-C").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Drmgr_reports_the_entitlement_capabilities_by_the_keys_lparcfg_has()
    {
        Assert.Contains(",cpu_entitlement=no,mem_entitlement=no,slb_resize=no,", Linux("drmgr", "-C").Out, StringComparison.Ordinal);

        // A shared-processor PowerVM partition without Active Memory Sharing: no entitled_memory line.
        _root.Write("/proc/powerpc/lparcfg", "lparcfg 1.9\nserial_number=IBM,0210ABCDE\nsystem_type=IBM,9009-42A\npartition_id=7\n" +
            "partition_entitled_capacity=150\ncapacity_weight=128\nshared_processor_mode=1\nslb_size=32\n");

        Assert.Contains(",cpu_entitlement=yes,mem_entitlement=no,slb_resize=yes,", Linux("drmgr", "-C").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Firmware_calls_stop_clearly_where_there_is_no_rtas_syscall()
    {
        var (code, _, error) = Linux("show", "CPU 2");
        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Contains("has no rtas system call", error, StringComparison.Ordinal);

        Assert.Equal(0, Linux("show", "CPU 2", "--no-firmware").ExitCode);
        Assert.Equal(ExitCodes.Unavailable, Linux("add", "cpu", "--count", "1", "--dry-run").ExitCode);
    }

    [Fact]
    public void Drmgr_uses_its_system_paths_below_the_root()
    {
        Directory.CreateDirectory(_root.Resolve("/var/log"));

        var (code, _, error) = Linux("drmgr", "-c", "cpu", "-a", "-q", "1", "-w", "1");

        Assert.Equal(255, code);
        Assert.Contains("has no rtas system call", error, StringComparison.Ordinal);
        Assert.True(File.Exists(_root.Resolve("/var/lock/dr_config_lock")));
        Assert.Contains("has no rtas system call", File.ReadAllText(_root.Resolve("/var/log/drmgr")), StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_examines_the_root_and_says_what_works()
    {
        var (code, output, _) = RunIn(c => c with { Environment = name => name == "DLPAR_LINUX_ROOT" ? _root.Root : null }, "doctor", "--json");

        using JsonDocument report = JsonDocument.Parse(output);
        string Status(string list,
            string name) => report.RootElement.GetProperty(list).EnumerateArray().Single(c =>
                c.GetProperty("name").GetString() == name).GetProperty("status").GetString()!;
        Assert.Equal("ok", Status("checks", "rtas"));
        Assert.Equal("ok", Status("checks", "kernel-dlpar"));
        Assert.Equal("problem", Status("checks", "architecture")); // this is not a ppc64 machine
        Assert.Equal("problem", Status("works", "cpu"));
        Assert.False(report.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(ExitCodes.Refused, code);
    }

    private (int ExitCode, string Out, string Error) Linux(params string[] args) =>
        RunIn(c => c with { Environment = name => name == "DLPAR_LINUX_ROOT" ? _root.Root : null }, ["--platform", "linux", .. args]);
}
