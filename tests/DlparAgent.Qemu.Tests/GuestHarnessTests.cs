using DlparAgent.Qemu.Guest;

namespace DlparAgent.Qemu.Tests;

/// <summary>
/// The real Linux 6.1 pseries guest (Debian's ppc64el kernel and powerpc-utils under QEMU TCG),
/// built and booted by the project's own harness: the console protocol, the kernel's DLPAR
/// interface and the kernel's own reaction to the HMC's hotplug, as ../shared/real-linux recorded them.
/// </summary>
[Collection("real guest")]
public sealed class GuestHarnessTests(GuestHarnessFixture guest) : IClassFixture<GuestHarnessFixture>
{
    private GuestMachine Machine => guest.Machine;

    [GuestHarnessFact]
    public void The_guest_runs_the_kernel_of_its_image()
    {
        Assert.Equal(guest.Image.KernelRelease, Machine.KernelRelease);
        Assert.Equal("ppc64le", Machine.Run("uname -m").Out.Trim());
        Assert.Contains(guest.Image.Packages, p => p.StartsWith("powerpc-ibm-utils=", StringComparison.Ordinal));
        Assert.InRange(Machine.BootTime, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(3));
    }

    [GuestHarnessFact]
    public void The_console_separates_stdout_stderr_and_the_exit_code()
    {
        GuestCommandResult result = Machine.Run("sh -c 'echo out; echo err >&2; printf tail; exit 3'");

        Assert.Equal(new GuestCommandResult(3, "out\ntail", "err\n"), result);
        Assert.Equal(new GuestCommandResult(0, string.Empty, string.Empty), Machine.Run("true"));
    }

    [GuestHarnessFact]
    public void The_kernel_offers_memory_and_cpu_dlpar_and_refuses_a_bad_request_with_einval()
    {
        Assert.Equal("memory,cpu", Machine.Run("cat /sys/kernel/dlpar").Out.Trim());

        GuestCommandResult refused = Machine.Run("echo foo > /sys/kernel/dlpar");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Invalid argument", refused.Error, StringComparison.Ordinal);
    }

    [GuestHarnessFact]
    public void The_real_drmgr_reports_its_capabilities()
    {
        GuestCommandResult capabilities = Machine.Run("drmgr -C");

        Assert.Equal(0, capabilities.ExitCode);
        Assert.StartsWith("cpu_dlpar=yes,mem_dlpar=yes,slot_dlpar=yes,phb_dlpar=yes", capabilities.Out, StringComparison.Ordinal);
    }

    [GuestHarnessFact]
    public void Memory_the_hmc_plugs_is_added_and_onlined_by_the_kernel_itself()
    {
        int before = OnlineMemoryBlocks();
        Machine.Management.AddMemory(512UL << 20);

        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (OnlineMemoryBlocks() < before + 2 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(200);
        }

        Assert.Equal(before + 2, OnlineMemoryBlocks());
        Assert.Contains("hot-add", Machine.TakeKernelMessages(), StringComparison.Ordinal);
    }

    private int OnlineMemoryBlocks() =>
        int.Parse(Machine.Run("grep -l online /sys/devices/system/memory/memory*/state | wc -l").Out.Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
