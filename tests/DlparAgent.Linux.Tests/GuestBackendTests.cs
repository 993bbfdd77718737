using System.Globalization;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux.Diagnostics;
using DlparAgent.Linux.Interop.Remote;
using DlparAgent.Linux.Kernel;
using DlparAgent.Linux.Locking;
using DlparAgent.Linux.Rtas;
using DlparAgent.Qemu.Guest;

namespace DlparAgent.Linux.Tests;

/// <summary>
/// The Linux backend against a real Linux 6.1 pseries kernel (Debian's, under QEMU): every system
/// call it makes is carried out in the guest by the helper, so the rtas syscall, the RMO work areas
/// in /dev/mem, /sys/kernel/dlpar, ofdt, rpadlpar and the DR lock are the real kernel's.
/// </summary>
[Collection("real guest")]
public sealed class GuestBackendTests(GuestBackendFixture guest) : IClassFixture<GuestBackendFixture>
{
    private GuestMachine Machine => guest.Machine;

    [QemuGuestFact]
    public void The_kernel_files_and_the_device_tree_read_through_the_helper_are_the_guests()
    {
        var kernel = new LinuxKernel(guest.Paths, guest.Native);

        DtNode tree = kernel.ReadDeviceTree();
        Assert.Equal(Lines("ls /proc/device-tree/rtas"), tree.Find("/rtas")!.Properties.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains(DrcCatalog.FromTree(tree).Connectors, c => c.Name == "CPU 0");
        Assert.Equal(int.Parse(Machine.Run("ls -d /sys/devices/system/memory/memory* | wc -l").Out.Trim(), CultureInfo.InvariantCulture),
            kernel.ReadMemoryBlocks().Count);
        Assert.True(kernel.ReadDlparCapabilities().Memory);
    }

    [QemuGuestFact]
    public void Only_present_cpus_are_threads_although_the_kernel_lists_every_possible_one()
    {
        // The real kernel has cpu0..cpu7 for -smp 1,maxcpus=8; the absent ones show physical_id 0,
        // which once made every absent CPU a thread of CPU 0.
        IReadOnlySet<int> present = CpuList.Parse(Machine.Run("cat /sys/devices/system/cpu/present").Out)!;
        Assert.True(Lines("ls -d /sys/devices/system/cpu/cpu[0-9]*").Length > present.Count);

        var kernel = new LinuxKernel(guest.Paths, guest.Native);

        Assert.Equal(present.Order(), kernel.ReadCpuThreads().Select(t => t.Number));
    }

    [QemuGuestFact]
    public void The_rtas_syscall_senses_the_boot_cpu_present_and_an_empty_slot_empty()
    {
        using var rtas = new SysRtas(guest.Paths, guest.Native) { HandleDelays = true };

        RtasResult cpu = rtas.GetSensorState(DrIndicators.EntitySense, 0x1000_0000);
        RtasResult slot = rtas.GetSensorState(DrIndicators.EntitySense, 0x4000_0000 + (30 << 3));

        Assert.Equal((RtasStatus.Success, DrIndicators.SensePresent), (cpu.Status, cpu.Value));
        Assert.Equal((RtasStatus.Success, DrIndicators.SenseEmpty), (slot.Status, slot.Value));
    }

    [QemuGuestFact]
    public void Doctor_finds_everything_a_61_kernel_offers_and_no_papr_devices()
    {
        DoctorReport report = new Doctor(guest.Paths, guest.Native).Examine();

        Assert.All(report.Verdicts, v => Assert.Equal(CheckStatus.Ok, v.Status));
        Assert.Equal(CheckStatus.Warning, report.Checks.Single(c => c.Name == "papr-indices").Status);
        Assert.Equal(CheckStatus.Ok, report.Checks.Single(c => c.Name == "rmo-buffer").Status);
    }

    [QemuGuestFact]
    public void A_card_the_hmc_plugs_is_configured_through_configure_connector_and_the_real_rmo_buffer_and_removed_again()
    {
        string device = Machine.Management.AddPci(0, 5);
        using var rtas = new SysRtas(guest.Paths, guest.Native) { HandleDelays = true };
        var engine = new DlparEngine(rtas, new LinuxKernel(guest.Paths, guest.Native), new MemoryJournal(), new EngineOptions());
        long before = guest.Native.Helper.TotalCalls;

        DlparResult added = engine.Execute(RequestGrammar.Parse("pci add index 0x40000028").Request);

        Assert.True(added.Complete, added.Error);
        Assert.Contains("0000:00:05.0", Lines("ls /sys/bus/pci/devices"));
        Assert.Contains(guest.Native.Helper.Counts, c => c.Key == HelperOperation.Rtas && c.Value > 0);
        Assert.True(guest.Native.Helper.TotalCalls > before);

        DlparResult removed = engine.Execute(RequestGrammar.Parse("pci remove index 0x40000028").Request);

        Assert.True(removed.Complete, removed.Error);
        Assert.DoesNotContain("0000:00:05.0", Lines("ls /sys/bus/pci/devices"));
        Machine.Management.Remove(device);
        Machine.Qmp.WaitFor(e => e.Name == "DEVICE_DELETED" && e.Data?["device"]?.ToString() == device, TimeSpan.FromSeconds(60));
    }

    [QemuGuestFact]
    public void Memory_the_kernel_removes_but_the_platform_keeps_is_reported_as_not_removed()
    {
        // No unplug was requested: Linux 6.1 removes the LMB and ignores QEMU's refusal to isolate it.
        int online = OnlineMemoryBlocks();
        Machine.Management.AddMemory(512UL << 20);
        WaitUntil(() => OnlineMemoryBlocks() == online + 2);
        var engine = new DlparEngine(new SysRtas(guest.Paths, guest.Native), new LinuxKernel(guest.Paths, guest.Native), new MemoryJournal(),
            new EngineOptions());

        DlparResult removed = engine.Execute(RequestGrammar.Parse("memory remove count 1").Request);

        Assert.Equal((false, 0, DlparMechanism.Kernel), (removed.Complete, removed.Done, removed.Mechanism));
        Assert.StartsWith("1 LMBs the kernel removed were kept by the platform", removed.Error, StringComparison.Ordinal);
        Assert.Equal(online + 1, OnlineMemoryBlocks());
        Assert.Contains("hot-remove", Machine.TakeKernelMessages(), StringComparison.Ordinal);
    }

    [QemuGuestFact]
    public void The_dr_lock_held_through_the_helper_makes_the_real_drmgr_give_up()
    {
        using (DrLock.Acquire(guest.Native, "/var/lock/dr_config_lock", TimeSpan.Zero, TextWriter.Null))
        {
            GuestCommandResult refused = Machine.Run("drmgr -c mem -r -q 1");

            Assert.Equal(255, refused.ExitCode);
            Assert.Contains("Unable to obtain Dynamic Reconfiguration lock", refused.Out + refused.Error, StringComparison.Ordinal);
        }

        Assert.Equal(0, Machine.Run("drmgr -C").ExitCode);
    }

    private int OnlineMemoryBlocks() =>
        int.Parse(Machine.Run("grep -l online /sys/devices/system/memory/memory*/state | wc -l").Out.Trim(), CultureInfo.InvariantCulture);

    private string[] Lines(string command) =>
        Machine.Run(command).Out.Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void WaitUntil(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the guest's kernel did not react within 60 s");
            Thread.Sleep(200);
        }
    }
}
