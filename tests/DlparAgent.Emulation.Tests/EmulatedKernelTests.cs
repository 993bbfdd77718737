using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Memory;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

public class EmulatedKernelTests
{
    private static EmulatedPartition Partition(KernelFeatures? features = null, Func<MachineProfile, MachineProfile>? adjust = null)
    {
        var profile = new MachineProfile { BootCpus = 2, MaxCpus = 4, Memory = 4 * MachineProfile.GiB, MaxMemory = 8 * MachineProfile.GiB };
        return EmulatedPartition.Create(adjust is null ? profile : adjust(profile), features ?? KernelFeatures.Modern, FixedClock.Default);
    }

    private static Scenario Script(EmulatedPartition partition) => new(partition.Platform);

    [Fact]
    public void Boot_brings_the_present_cpus_and_memory_online_and_gives_nodes_phandles()
    {
        EmulatedKernel kernel = Partition().Kernel;

        Assert.Equal([new CpuThread(0, 0, true), new CpuThread(1, 1, true)], kernel.ReadCpuThreads());
        Assert.Equal(16, kernel.ReadMemoryBlocks().Count);
        Assert.False(kernel.ReadMemoryBlocks()[0].Removable);
        Assert.Equal(256UL << 20, kernel.ReadMemoryBlockSize());
        Assert.All(kernel.ReadDeviceTree().DescendantsAndSelf(), n => Assert.NotNull(n.Phandle));
        Assert.Equal("memory,cpu,dt", kernel.ReadDlparCapabilities().Content);
    }

    [Fact]
    public void A_hotplugged_core_is_added_by_the_kernel_when_it_takes_the_interrupt()
    {
        EmulatedPartition partition = Partition();
        partition.Platform.Management.PlugCpu(2);

        partition.Kernel.TakeInterrupts();

        Assert.Contains(new CpuThread(2, 2, true), partition.Kernel.ReadCpuThreads());
        Assert.Equal(0x10000002u, partition.Kernel.ReadDeviceTree().Find("/cpus/PowerPC,POWER9@2")!.GetUInt32("ibm,my-drc-index"));
        Script(partition).Run("state 0x10000002 => 4", "queue => 0");
        Assert.Empty(partition.Kernel.State.ErrorLog);
    }

    [Fact]
    public void An_unplug_request_is_completed_by_the_kernel_and_the_device_leaves()
    {
        EmulatedPartition partition = Partition();
        partition.Platform.Management.PlugCpu(2);
        partition.Kernel.TakeInterrupts();

        partition.Platform.Management.Unplug("core2");
        partition.Kernel.TakeInterrupts();

        Assert.DoesNotContain(partition.Kernel.ReadCpuThreads(), c => c.PhysicalId == 2);
        Assert.Null(partition.Kernel.ReadDeviceTree().Find("/cpus/PowerPC,POWER9@2"));
        Script(partition).Run("device core2 => absent", "state 0x10000002 => 1");
    }

    [Fact]
    public void A_dimm_is_added_and_removed_through_count_indexed_events()
    {
        EmulatedPartition partition = Partition();
        partition.Platform.Management.PlugMemory(MachineProfile.GiB);
        partition.Kernel.TakeInterrupts();

        DynamicReconfigurationMemory memory = DynamicReconfigurationMemory.FromTree(partition.Kernel.ReadDeviceTree())!;
        Assert.Equal([0x80000010u, 0x80000011, 0x80000012, 0x80000013], memory.Lmbs.Where(l => l.IsAssigned).Select(l => l.DrcIndex));
        Assert.Equal(20, partition.Kernel.ReadMemoryBlocks().Count);
        Script(partition).Run("state 0x80000013 => 4");

        partition.Platform.Management.Unplug("mem0");
        partition.Kernel.TakeInterrupts();

        Assert.DoesNotContain(DynamicReconfigurationMemory.FromTree(partition.Kernel.ReadDeviceTree())!.Lmbs, l => l.IsAssigned);
        Assert.Equal(16, partition.Kernel.ReadMemoryBlocks().Count);
        Script(partition).Run("device mem0 => absent");
    }

    [Fact]
    public void Memory_by_count_is_all_or_nothing()
    {
        EmulatedPartition partition = Partition(adjust: p => p with { Negotiation = NegotiationMode.Modern });
        partition.Platform.Management.PlugMemory(MachineProfile.GiB, 0, null, Devices.DeviceOrigin.Assigned);
        byte[] before = partition.Kernel.State.Tree.Find("/ibm,dynamic-reconfiguration-memory")!.GetProperty("ibm,dynamic-memory-v2")!.Value.ToArray();

        // Only 4 LMBs have a device the firmware will hand over: asking for 5 fails and rolls back.
        var error = Assert.Throws<KernelException>(() => partition.Kernel.WriteDlpar("memory add count 5"));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Equal(before, partition.Kernel.State.Tree.Find("/ibm,dynamic-reconfiguration-memory")!.GetProperty("ibm,dynamic-memory-v2")!.Value.ToArray());
        Assert.Equal(16, partition.Kernel.ReadMemoryBlocks().Count);
        Script(partition).Run("state 0x80000010 => 1", "state 0x80000013 => 1");

        partition.Kernel.WriteDlpar("memory add count 4");
        Assert.Equal(20, partition.Kernel.ReadMemoryBlocks().Count);
        Script(partition).Run("state 0x80000013 => 4");

        partition.Kernel.WriteDlpar("memory remove indexed-count 2 0x80000012");
        Assert.Equal(18, partition.Kernel.ReadMemoryBlocks().Count);
        Script(partition).Run("state 0x80000012 => 1", "state 0x80000011 => 4");
    }

    [Fact]
    public void Memory_by_index_takes_only_an_unusable_connector()
    {
        EmulatedPartition partition = Partition();

        // An empty connector senses unusable, and the firmware refuses to allocate it (-3).
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => partition.Kernel.WriteDlpar("memory add index 0x80000010")).Errno);
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => partition.Kernel.WriteDlpar("memory add index 0x80000099")).Errno);

        // A connector still configured (QEMU refused its release) senses present: the kernel's bare -1, EPERM.
        partition.Platform.Management.PlugMemory(MachineProfile.GiB);
        partition.Kernel.TakeInterrupts();
        partition.Kernel.WriteDlpar("memory remove index 0x80000010");
        Assert.Equal(Errno.EPERM, Assert.Throws<KernelException>(() => partition.Kernel.WriteDlpar("memory add index 0x80000010")).Errno);
    }

    [Fact]
    public void Removing_qemu_memory_nobody_unplugs_leaves_the_connector_configured_as_linux_does()
    {
        EmulatedPartition partition = Partition();
        partition.Platform.Management.PlugMemory(MachineProfile.GiB);
        partition.Kernel.TakeInterrupts();

        partition.Kernel.WriteDlpar("memory remove count 1");

        // The memory is gone from the OS, but QEMU refused the isolate (-1): the DRC stays configured.
        Assert.Equal(19, partition.Kernel.ReadMemoryBlocks().Count);
        Script(partition).Run("state 0x80000010 => 4");
    }

    [Theory]
    [InlineData("cpu add count 1", Errno.EINVAL)]
    [InlineData("cpu add index 0x10000000", Errno.EINVAL)]
    [InlineData("cpu add index 0x10000003", Errno.EINVAL)]
    [InlineData("cpu remove index 0x10000003", Errno.ENODEV)]
    [InlineData("memory add count 1", Errno.EINVAL)]
    [InlineData("memory  add count 1", Errno.EINVAL)]
    [InlineData("dt add index 0x40000010", Errno.EIO)]
    [InlineData("dt remove index 0x40000010", Errno.ENODEV)]
    public void Bad_or_impossible_requests_answer_the_kernels_errno(string request, Errno errno)
    {
        Assert.Equal(errno, Assert.Throws<KernelException>(() => Partition().Kernel.WriteDlpar(request)).Errno);
    }

    [Fact]
    public void The_last_online_cpu_cannot_go()
    {
        EmulatedPartition partition = Partition(adjust: p => p with { BootCpus = 1 });

        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => partition.Kernel.WriteDlpar("cpu remove index 0x10000000")).Errno);
        Assert.Equal(Errno.EBUSY, Assert.Throws<KernelException>(() => partition.Kernel.SetCpuOnline(0, false)).Errno);
    }

    [Fact]
    public void Pci_events_go_to_the_error_log_and_dt_add_attaches_the_slot()
    {
        EmulatedPartition partition = Partition();
        partition.Platform.Management.PlugPci(0, 2);
        partition.Kernel.TakeInterrupts();

        (int sequence, byte[] log) = Assert.Single(partition.Kernel.State.ErrorLog);
        Assert.Equal(1, sequence);
        Assert.Equal(HotplugResource.Pci, RtasEventLog.Read(log).FindSection<HotplugSection>()!.Resource);

        // What drmgr does under lockdown: unisolate, then let the kernel build the nodes.
        Script(partition).Run("set-indicator 9001 0x40000010 1 => 0");
        partition.Kernel.WriteDlpar("dt add index 0x40000010");
        Assert.NotNull(partition.Kernel.ReadDeviceTree().Find("/pci@800000020000000/ethernet@2"));
        partition.Kernel.WriteDlpar("dt remove index 0x40000010");
        Assert.Null(partition.Kernel.ReadDeviceTree().Find("/pci@800000020000000/ethernet@2"));
    }

    [Fact]
    public void Without_cas_every_hotplug_event_is_logged_for_userspace()
    {
        EmulatedPartition partition = Partition(adjust: p => p with { Negotiation = NegotiationMode.Legacy });
        partition.Platform.Management.PlugCpu(2);
        partition.Platform.Management.Powerdown();

        partition.Kernel.TakeInterrupts();

        Assert.Equal(2, partition.Kernel.State.ErrorLog.Count);
        Assert.DoesNotContain(partition.Kernel.ReadCpuThreads(), c => c.PhysicalId == 2);
        Assert.Equal(["poweroff (system shutdown)"], partition.Kernel.State.PowerRequests);
    }

    [Fact]
    public void An_old_kernel_without_the_dlpar_file_offers_cpu_probe()
    {
        EmulatedPartition partition = Partition(KernelFeatures.FromList(string.Empty));
        partition.Platform.Management.PlugCpu(2, null, Devices.DeviceOrigin.Assigned);

        Assert.Equal(Errno.ENOENT, Assert.Throws<KernelException>(() => partition.Kernel.WriteDlpar("cpu add index 0x10000002")).Errno);
        partition.Kernel.ProbeCpu(0x10000002);
        Assert.Contains(new CpuThread(2, 2, false), partition.Kernel.ReadCpuThreads());
        partition.Kernel.SetCpuOnline(2, true);
        Assert.Equal(Errno.EBUSY, Assert.Throws<KernelException>(() => partition.Kernel.ReleaseCpu("/cpus/PowerPC,POWER9@2")).Errno);
        partition.Kernel.SetCpuOnline(2, false);
        partition.Kernel.ReleaseCpu("/cpus/PowerPC,POWER9@2");
        Script(partition).Run("state 0x10000002 => 1", "device core2 => present");
    }

    [Fact]
    public void Ofdt_commands_change_the_tree_with_linux_rules()
    {
        EmulatedKernel kernel = Partition().Kernel;
        DtNode cpu = kernel.ReadDeviceTree().Find("/cpus/PowerPC,POWER9@1")!;

        kernel.WriteOfdt(new OfdtCommand.AddNode("/cpus/PowerPC,POWER9@3", [new OfdtProperty("device_type", "cpu\0"u8.ToArray()),
            new OfdtProperty("ibm,ppc-interrupt-server#s", new byte[] { 0, 0, 0, 3 })]));
        Assert.Contains(new CpuThread(2, 3, false), kernel.ReadCpuThreads());
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => kernel.WriteOfdt(new OfdtCommand.AddNode("/cpus/PowerPC,POWER9@3", []))).Errno);
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => kernel.WriteOfdt(new OfdtCommand.AddNode("/nowhere/x", []))).Errno);
        Assert.Equal(Errno.EBUSY, Assert.Throws<KernelException>(() => kernel.WriteOfdt(new OfdtCommand.RemoveNode("/cpus/PowerPC,POWER9@1"))).Errno);
        Assert.Equal(Errno.EBUSY, Assert.Throws<KernelException>(() => kernel.WriteOfdt(new OfdtCommand.RemoveNode("/cpus"))).Errno);
        kernel.WriteOfdt(new OfdtCommand.RemoveNode("/cpus/PowerPC,POWER9@3"));
        Assert.DoesNotContain(kernel.ReadCpuThreads(), c => c.PhysicalId == 3);

        uint phandle = cpu.Phandle!.Value;
        kernel.WriteOfdt(new OfdtCommand.UpdateProperty(phandle, new OfdtProperty("status", "disabled\0"u8.ToArray())));
        Assert.Equal("disabled", kernel.ReadDeviceTree().Find("/cpus/PowerPC,POWER9@1")!.GetString("status"));
        Assert.Equal(Errno.ENODEV, Assert.Throws<KernelException>(() => kernel.WriteOfdt(new OfdtCommand.RemoveProperty(phandle, "nonexistent"))).Errno);
        Assert.Equal(Errno.ENODEV, Assert.Throws<KernelException>(() => kernel.WriteOfdt(new OfdtCommand.UpdateProperty(0xDEAD, new OfdtProperty("x",
            new byte[1])))).Errno);
    }

    [Fact]
    public void Memory_probe_and_block_states_follow_sysfs()
    {
        EmulatedKernel kernel = Partition().Kernel;

        kernel.ProbeMemory(0x1_0000_0000);
        Assert.Contains(new MemoryBlock(16, false, true), kernel.ReadMemoryBlocks());
        Assert.Equal(Errno.EEXIST, Assert.Throws<KernelException>(() => kernel.ProbeMemory(0x1_0000_0000)).Errno);
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => kernel.ProbeMemory(0x1_0000_1000)).Errno);
        kernel.SetMemoryBlockOnline(16, true);
        Assert.Equal(Errno.EBUSY, Assert.Throws<KernelException>(() => kernel.SetMemoryBlockOnline(0, false)).Errno);
    }

    [Fact]
    public void The_guest_survives_a_save_and_a_reset_reboots_it()
    {
        EmulatedPartition partition = Partition();
        partition.Platform.Management.PlugCpu(2);
        partition.Platform.Management.PlugPci(0, 3);
        partition.Kernel.TakeInterrupts();

        MachineState saved = MachineStateCodec.Decode(MachineStateCodec.Encode(partition.Persist()), "test");
        EmulatedPartition loaded = EmulatedPartition.Load(saved, FixedClock.Default);

        Assert.Equal(partition.Kernel.ReadCpuThreads(), loaded.Kernel.ReadCpuThreads());
        Assert.Equal(partition.Kernel.ReadMemoryBlocks(), loaded.Kernel.ReadMemoryBlocks());
        Assert.Equal(partition.Kernel.State.ErrorLog.Select(e => e.Log), loaded.Kernel.State.ErrorLog.Select(e => e.Log));
        Assert.NotNull(loaded.Kernel.ReadDeviceTree().Find("/cpus/PowerPC,POWER9@2"));

        loaded.Reset();
        Assert.Empty(loaded.Kernel.State.ErrorLog);
        Assert.NotNull(loaded.Kernel.ReadDeviceTree().Find("/pci@800000020000000/ethernet@3"));
    }

    [Fact]
    public void Kernel_feature_lists_parse_and_refuse_unknown_words()
    {
        Assert.Equal("memory", KernelFeatures.FromList("memory").Dlpar.Content);
        Assert.True(KernelFeatures.FromList("memory").CpuProbe);
        Assert.False(KernelFeatures.FromList(string.Empty).Dlpar.Present);
        Assert.Throws<ArgumentException>(() => KernelFeatures.FromList("memory,gpu"));
        Assert.Equal(new KernelDlparCapabilities(true, true, false, false), KernelDlparCapabilities.FromContent(null));
        Assert.Equal(new KernelDlparCapabilities(true, true, true, false), KernelDlparCapabilities.FromContent("memory,cpu\n"));
    }
}
