using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

public class PowerVmProfileTests
{
    private static Scenario PowerVm() => new(EmulatedPlatform.Create(
        new MachineProfile { Flavor = PlatformFlavor.PowerVm, BootCpus = 8, MaxCpus = 64, Threads = 8, Memory = 4 * MachineProfile.GiB, MaxMemory =
            64 * MachineProfile.GiB, BootPhbs = 2 },
        FixedClock.Default));

    [Fact]
    public void Every_container_publishes_drc_info_with_vio_slots_and_powered_pci_slots()
    {
        DtNode root = PowerVm().Platform.ReadBootTree().Root;
        DrcCatalog catalog = DrcCatalog.FromTree(root);

        Assert.All(catalog.Containers, c => Assert.Equal(DrcSource.DrcInfo, c.Source));
        Assert.Null(root.GetProperty("ibm,drc-indexes"));
        Assert.Equal(256, catalog.OfType("MEM").Count());
        Assert.Equal(["CPU 0", "CPU 8", "CPU 16"], catalog.OfType("CPU").Take(3).Select(c => c.Name));
        DrcConnector vio = catalog.OfType("SLOT").First();
        Assert.Equal(("U8233.E8B.1000C9P-V1-C2", 0x30000002u), (vio.Name, vio.Index));
        Assert.True(catalog.TryGetByIndex(0x30000002, out _, out DrcContainer vdevice));
        Assert.Equal("/vdevice", vdevice.Path);
        Assert.NotNull(root.Find("/vdevice/l-lan@30000002"));
        Assert.NotNull(root.Find("/vdevice/v-scsi@30000003"));
        Assert.All(catalog.OfType("28"), slot => Assert.NotEqual(0xFFFFFFFFu, slot.PowerDomain));
        Assert.Equal(16, catalog.OfType("28").Count());
        Assert.Equal(16u, Core.Memory.DynamicReconfigurationMemory.FromTree(root)!.Lmbs.Count(l => l.IsAssigned) * 1u);
    }

    [Fact]
    public void The_partition_may_release_assigned_memory_and_take_it_back_until_reclaimed()
    {
        Scenario s = PowerVm();
        s.Run("set-indicator 9001 0x8000000f 0 => 0", "set-indicator 9003 0x8000000f 0 => 0", "state 0x8000000f => 1", "device bootmem => present",
            "set-indicator 9003 0x8000000f 1 => 0", "set-indicator 9001 0x8000000f 1 => 0", "cc-nodes 0x8000000f => memory@f0000000", "state 0x8000000f => 4",
            "plug assign-memory 1G => mem0", "queue => 0", "state 0x80000010 => 1",
            "reclaim mem0 => ok", "device mem0 => absent", "set-indicator 9003 0x80000010 1 => -3");
    }

    [Fact]
    public void Reclaiming_a_resource_in_use_is_refused()
    {
        Scenario s = PowerVm();
        s.Run("plug assign-memory 512M => mem0", "set-indicator 9003 0x80000010 1 => 0",
            "reclaim mem0 => refused: mem0 is in use by the partition (LMB 16 is LogicalAvailable); it must release it first");
    }

    [Fact]
    public void Power_domains_of_pci_slots_switch_on_and_off()
    {
        Scenario s = PowerVm();
        s.Run("get-power-level 1 => 0 100", "set-power-level 1 0 => 0 0", "get-power-level 1 => 0 0", "set-power-level 1 50 => -3 0",
            "get-power-level 99 => -3 0");
    }

    [Fact]
    public void Vio_slots_are_logical_connectors()
    {
        Scenario s = PowerVm();
        s.Run("get-sensor-state 9003 0x30000002 => 0 1", "state 0x30000002 => 4", "cc-nodes 0x30000002 => l-lan@30000002",
            "set-indicator 9001 0x30000002 0 => 0", "set-indicator 9003 0x30000002 0 => 0", "get-sensor-state 9003 0x30000002 => 0 2", "get-sensor-state " +
                "9003 0x30000004 => 0 2");
    }
}
