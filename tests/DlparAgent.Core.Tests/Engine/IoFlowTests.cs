using DlparAgent.Core.Engine;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Core.Tests.Engine;

public class IoFlowTests
{
    [Theory]
    [InlineData("memory,cpu,dt", "kernel dt")]
    [InlineData("-", "userspace")]
    public void A_pci_slot_is_added_and_removed(string kernel, string path)
    {
        var h = new EngineHarness(kernel);
        h.Assign(io: true);

        DlparResult added = h.Run("pci add index 0x40000010");
        Assert.True(added.Complete, added.Error);
        Assert.Equal(path, added.Mechanism.Word());
        Assert.Contains("/pci@800000020000000/ethernet@2", h.Partition.Kernel.ReadPciDevices());
        Assert.Contains(h.Partition.Kernel.ReadHotplugSlots(), s => s is { Name: "C16", Adapter: 1 });
        h.AssertConsistent("after pci add");

        Assert.Equal("The specified PCI slot is already occupied.", Assert.Throws<DlparException>(() => h.Run("pci add name C16")).Message);

        Assert.True(h.Run("pci remove name C16").Complete);
        Assert.DoesNotContain("/pci@800000020000000/ethernet@2", h.Partition.Kernel.ReadPciDevices());
        h.AssertConsistent("after pci remove");
        Assert.Equal("There is no configured card to remove from the specified PCI slot.",
            Assert.Throws<DlparException>(() => h.Run("pci remove name C16")).Message);
    }

    [Fact]
    public void An_empty_slot_reports_no_card()
    {
        var h = new EngineHarness("-");

        DlparResult result = h.Run("pci add index 0x40000018");

        Assert.False(result.Complete);
        Assert.Contains("No PCI card was detected", result.Error, StringComparison.Ordinal);
        h.AssertConsistent("after an empty slot");
    }

    [Theory]
    [InlineData("memory,cpu,dt")]
    [InlineData("-")]
    public void A_phb_is_added_with_its_slots_and_removed(string kernel)
    {
        var h = new EngineHarness(kernel);
        h.Assign(io: true);
        h.Partition.Platform.Management.PlugPci(1, 4, 0, null, null, Emulation.Devices.DeviceOrigin.Assigned);

        Assert.True(h.Run("phb add name \"PHB 1\"").Complete);
        Assert.Contains("PHB 1", h.Partition.Kernel.ReadDlparSlots());
        Assert.Contains(h.Partition.Kernel.ReadHotplugSlots(), s => s is { Name: "C65568", Adapter: 1 });
        h.AssertConsistent("after phb add");

        Assert.True(h.Run("pci remove name C65568").Complete);
        Assert.True(h.Run("pci add name C65568").Complete);
        Assert.True(h.Run("phb remove index 0x20000001").Complete);
        Assert.DoesNotContain("PHB 1", h.Partition.Kernel.ReadDlparSlots());
        Assert.DoesNotContain(h.Partition.Kernel.ReadPciDevices().Keys, d => d.StartsWith("/pci@800000020000001", StringComparison.Ordinal));
        h.AssertConsistent("after phb remove");
    }

    [Theory]
    [InlineData("memory,cpu,dt")]
    [InlineData("-")]
    public void A_virtual_io_slot_is_removed_and_added_back(string kernel)
    {
        var h = new EngineHarness(kernel, p => p with { Flavor = PlatformFlavor.PowerVm });
        Assert.Contains("U8233.E8B.1000C9P-V1-C2", h.Partition.Kernel.ReadDlparSlots());

        Assert.True(h.Run("slot remove name U8233.E8B.1000C9P-V1-C2").Complete);
        Assert.Null(h.Partition.Kernel.ReadDeviceTree().Find("/vdevice/l-lan@30000002"));
        h.AssertConsistent("after slot remove");

        Assert.True(h.Run("slot add index 0x30000002").Complete);
        Assert.NotNull(h.Partition.Kernel.ReadDeviceTree().Find("/vdevice/l-lan@30000002"));
        h.AssertConsistent("after slot add");

        Assert.Equal("there is no I/O slot connector with name \"U8233.E8B.1000C9P-V1-C99\"",
            Assert.Throws<DlparException>(() => h.Run("slot add name U8233.E8B.1000C9P-V1-C99")).Message);
    }
}
