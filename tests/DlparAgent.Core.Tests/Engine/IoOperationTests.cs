using DlparAgent.Core.Engine;
using DlparAgent.Core.Requests;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Core.Tests.Engine;

public class IoOperationTests
{
    private static DlparRequest Request(string text) => RequestGrammar.Parse(text).Request;

    [Fact]
    public void Query_tells_missing_unowned_and_owned_connectors_apart()
    {
        var h = new EngineHarness("memory,cpu,dt");
        h.Assign(io: true);
        DlparEngine engine = h.Engine();

        Assert.False(engine.Query(Request("pci add index 0x4000ffff")).Exists);
        SlotQuery empty = engine.Query(Request("pci add name C16"));
        Assert.True(empty.Exists && !empty.Owned && !empty.InUse);
        Assert.True(h.Run("pci add name C16").Complete);
        Assert.True(engine.Query(Request("pci add name C16")).Owned);
        Assert.True(engine.Query(Request("phb add name \"PHB 0\"")).Owned);
        Assert.False(engine.Query(Request("phb add name \"PHB 1\"")).Owned);
    }

    [Fact]
    public void Identify_lights_the_led_and_puts_it_back()
    {
        var h = new EngineHarness("-");
        h.Assign(io: true);
        DlparEngine engine = h.Engine();

        Assert.True(engine.Identify(Request("pci add name C16"), identify: true).Complete);
        Assert.Equal(2, h.Partition.Platform.State.FindDrc(0x40000010)!.DrIndicator);
        Assert.True(engine.Identify(Request("pci add name C16"), identify: false).Complete);
        Assert.Equal(0, h.Partition.Platform.State.FindDrc(0x40000010)!.DrIndicator);
        Assert.True(h.Run("pci add name C16").Complete);
        Assert.True(engine.Identify(Request("pci add name C16"), identify: false).Complete);
        Assert.Equal(1, h.Partition.Platform.State.FindDrc(0x40000010)!.DrIndicator);
    }

    [Fact]
    public void Replace_removes_lets_the_card_change_and_adds()
    {
        var h = new EngineHarness("memory,cpu,dt");
        h.Assign(io: true);
        Assert.True(h.Run("pci add name C16").Complete);
        bool swapped = false;

        (DlparResult removed, DlparResult? added) = h.Engine().Replace(Request("pci add name C16"), () => swapped = true);

        Assert.True(swapped);
        Assert.True(removed.Complete);
        Assert.True(added!.Complete);
        h.AssertConsistent("after replace");
    }

    [Fact]
    public void Removal_by_count_is_spread_over_numa_nodes()
    {
        var h = new EngineHarness("-", p => p with { MaxMemory = 10 * MachineProfile.GiB });
        h.Partition.Platform.Management.PlugMemory(MachineProfile.GiB, 0, null, Emulation.Devices.DeviceOrigin.Assigned);
        h.Partition.Platform.Management.PlugMemory(3 * MachineProfile.GiB, 1, null, Emulation.Devices.DeviceOrigin.Assigned);
        Assert.True(h.Run("memory add count 16").Complete);

        DlparResult removed = h.Run("memory remove count 8");

        Assert.True(removed.Complete);
        Assert.Equal(2, removed.Connectors.Count(c => c.Index < 0x8000000c));
        Assert.Equal(6, removed.Connectors.Count(c => c.Index >= 0x8000000c));
        h.AssertConsistent("after NUMA-balanced removal");
    }

    [Fact]
    public void On_the_kernel_path_a_removal_by_count_takes_the_cpuless_node_first_highest_index_first()
    {
        var h = new EngineHarness("memory,cpu", p => p with { MaxMemory = 10 * MachineProfile.GiB });
        h.Partition.Platform.Management.PlugMemory(3 * MachineProfile.GiB, 1, null, Emulation.Devices.DeviceOrigin.Assigned);
        h.Partition.Platform.Management.PlugMemory(MachineProfile.GiB, 0, null, Emulation.Devices.DeviceOrigin.Assigned);
        Assert.True(h.Run("memory add count 16").Complete);

        DlparResult removed = h.Run("memory remove count 8");

        // Node 1 (LMBs 0x80000008-13) has no CPU: drmgr's balancing takes it first, from its highest LMB down,
        // although node 0's LMBs (0x80000014-17) have higher indexes.
        Assert.True(removed.Complete, removed.Error);
        Assert.Equal([.. Enumerable.Range(0x0c, 8).Select(i => 0x8000_0000u + (uint)i)], removed.Connectors.Select(c => c.Index).Order());
        h.AssertConsistent("after the kernel's NUMA-balanced removal");
    }
}
