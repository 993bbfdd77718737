using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Memory;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

public class DeviceTreeTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "qemu", name);

    /// <summary>The shared QEMU trees were dumped from -smp 1,maxcpus=8 -m 2G,slots=8,maxmem=8G plus PHB 1.</summary>
    private static EmulatedPlatform SameMachineAsTheFixtures(NegotiationMode negotiation, bool drmemV2) =>
        EmulatedPlatform.Create(new MachineProfile { BootPhbs = 2, Negotiation = negotiation, DrmemV2 = drmemV2 }, FixedClock.Default);

    [Theory]
    [InlineData("example-cas.dtb", NegotiationMode.Modern, true)]
    [InlineData("example-cas-drmem-v1.dtb", NegotiationMode.Modern, false)]
    [InlineData("example-tcg-nocas.dtb", NegotiationMode.Legacy, true)]
    public void The_default_profile_describes_the_same_connectors_memory_and_option_vector_as_qemu(string fixture, NegotiationMode negotiation, bool drmemV2)
    {
        DtNode qemu = FdtReader.Read(File.ReadAllBytes(Fixture(fixture))).Root;
        DtNode ours = SameMachineAsTheFixtures(negotiation, drmemV2).ReadBootTree().Root;

        Assert.Equal(Catalog(qemu), Catalog(ours));
        Assert.Equal(
            qemu.Find("/chosen")!.GetProperty("ibm,architecture-vec-5")!.Value.ToArray(),
            ours.Find("/chosen")!.GetProperty("ibm,architecture-vec-5")!.Value.ToArray());
        DynamicReconfigurationMemory? qemuMemory = DynamicReconfigurationMemory.FromTree(qemu);
        DynamicReconfigurationMemory? ourMemory = DynamicReconfigurationMemory.FromTree(ours);
        Assert.Equal(qemuMemory is null, ourMemory is null);
        if (qemuMemory is not null)
        {
            Assert.Equal(qemuMemory.Version, ourMemory!.Version);
            Assert.Equal(qemuMemory.Lmbs, ourMemory.Lmbs);
            Assert.Equal(qemuMemory.Sets, ourMemory.Sets);
        }

        Assert.Equal(qemu.Find("/rtas")!.GetProperty("ibm,lrdr-capacity")!.Value.ToArray(),
            ours.Find("/rtas")!.GetProperty("ibm,lrdr-capacity")!.Value.ToArray());
        Assert.Equal(0x10000000u, ours.Find("/cpus/PowerPC,POWER9@0")!.GetUInt32("ibm,my-drc-index"));
    }

    [Fact]
    public void D01_to_D03_and_D08_D09_fixture_f_arrays_capacity_and_event_sources()
    {
        DtNode root = Scenario.FixtureF().Platform.ReadBootTree().Root;
        DrcCatalog catalog = DrcCatalog.FromTree(root);

        DrcContainer top = catalog.Containers.Single(c => c.Path == "/");
        Assert.Equal(16 + 31 + 8, top.Connectors.Count);
        Assert.All(top.Connectors, c => Assert.Equal(0xFFFFFFFFu, c.PowerDomain));
        Assert.Equal(Enumerable.Range(16, 16).Select(i => $"LMB {i}"), top.Connectors.Where(c => c.Type == "MEM").Select(c => c.Name));
        Assert.Equal(Enumerable.Range(0, 31).Select(i => $"PHB {i}"), top.Connectors.Where(c => c.Type == "PHB").Select(c => c.Name));
        Assert.Equal(["CPU 0", "CPU 1", "CPU 2", "CPU 3"], catalog.Containers.Single(c => c.Path == "/cpus").Connectors.Select(c => c.Name));
        DrcContainer phb0 = catalog.Containers.Single(c => c.Path == "/pci@800000020000000");
        Assert.Equal(Enumerable.Range(0, 256).Select(i => $"C{i}"), phb0.Connectors.Select(c => c.Name));
        Assert.All(phb0.Connectors, c => Assert.Equal("28", c.Type));

        Assert.Equal(Convert.FromHexString("00000002" + "00000000" + "00000000" + "10000000" + "00000004"),
            root.Find("/rtas")!.GetProperty("ibm,lrdr-capacity")!.Value.ToArray());
        DtNode events = root.Find("/event-sources")!;
        Assert.Equal([0x1000u, 0], events.GetChild("epow-events")!.GetProperty("interrupts")!.AsCells());
        Assert.Equal([0x1001u, 0], events.GetChild("hot-plug-events")!.GetProperty("interrupts")!.AsCells());
        Assert.Equal([0x1000u, 1, 0x1001, 1], events.GetProperty("interrupt-ranges")!.AsCells());
        Assert.Equal(2u, events.GetUInt32("#interrupt-cells"));
    }

    [Fact]
    public void D04_v2_sets_with_a_coldplugged_dimm()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug memory 1G", "cas v2");
        DtNode drconf = s.Platform.ReadBootTree().Root.Find("/ibm,dynamic-reconfiguration-memory")!;

        byte[] value = drconf.GetProperty(DynamicMemoryV2.PropertyName)!.Value.ToArray();

        Assert.Equal(76, value.Length);
        Assert.Equal(
            [
                new DynamicMemorySet(16, 0, 0, 0xFFFFFFFF, LmbFlags.Reserved | LmbFlags.DrcInvalid),
                new DynamicMemorySet(4, 0x1_0000_0000, 0x80000010, 0, LmbFlags.Assigned | LmbFlags.HotRemovable),
                new DynamicMemorySet(12, 0x1_4000_0000, 0x80000014, 0xFFFFFFFF, LmbFlags.None),
            ],
            DynamicMemoryV2.Read(value));
    }

    [Fact]
    public void D05_D06_v1_entries_and_the_drconf_node()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug memory 1G", "cas v1");
        DtNode drconf = s.Platform.ReadBootTree().Root.Find("/ibm,dynamic-reconfiguration-memory")!;

        byte[] value = drconf.GetProperty(DynamicMemoryV1.PropertyName)!.Value.ToArray();
        DynamicMemoryLmb[] lmbs = DynamicMemoryV1.Read(value);

        Assert.Equal(772, value.Length);
        Assert.All(lmbs[..16], l => Assert.Equal((0u, 0xFFFFFFFFu, LmbFlags.Reserved | LmbFlags.DrcInvalid), (l.DrcIndex, l.AssociativityIndex, l.Flags)));
        Assert.Equal([0x80000010u, 0x80000011, 0x80000012, 0x80000013], lmbs[16..20].Select(l => l.DrcIndex));
        Assert.All(lmbs[16..20], l => Assert.Equal((0u, LmbFlags.Assigned), (l.AssociativityIndex, l.Flags)));
        Assert.All(lmbs[20..], l => Assert.Equal((0xFFFFFFFFu, LmbFlags.None), (l.AssociativityIndex, l.Flags)));
        Assert.Equal(Convert.FromHexString("0000000010000000"), drconf.GetProperty("ibm,lmb-size")!.Value.ToArray());
        Assert.Equal(0xFFu, drconf.GetUInt32("ibm,memory-flags-mask"));
        Assert.Equal(0u, drconf.GetUInt32("ibm,memory-preservation-time"));
        Assert.NotNull(drconf.GetProperty("ibm,associativity-lookup-arrays"));
        Assert.Null(drconf.GetProperty(DynamicMemoryV2.PropertyName));
    }

    [Fact]
    public void D07_without_drconf_memory_there_is_no_node()
    {
        DtNode root = Scenario.FixtureF(p => p with { Negotiation = NegotiationMode.Legacy }).Platform.ReadBootTree().Root;

        Assert.Null(root.Find("/ibm,dynamic-reconfiguration-memory"));
    }

    [Fact]
    public void D10_qemu_ignores_a_drc_info_request_and_strict_mode_honours_it()
    {
        Scenario qemu = Scenario.FixtureF();
        qemu.Run("cas drcinfo");
        Scenario strict = Scenario.FixtureF(p => p with { Strict = true });
        strict.Run("cas drcinfo");

        Assert.All(DrcCatalog.FromTree(qemu.Platform.ReadBootTree().Root).Containers, c => Assert.Equal(DrcSource.Arrays, c.Source));
        DrcCatalog strictCatalog = DrcCatalog.FromTree(strict.Platform.ReadBootTree().Root);
        Assert.All(strictCatalog.Containers, c => Assert.Equal(DrcSource.DrcInfo, c.Source));
        Assert.Equal(Catalog(qemu.Platform.ReadBootTree().Root), Catalog(strict.Platform.ReadBootTree().Root));
    }

    [Fact]
    public void D11_a_runtime_plug_does_not_patch_the_tree()
    {
        Scenario s = Scenario.FixtureF();
        byte[] before = s.Machine.BootTree;

        s.Run("plug memory 1G", "plug cpu 2", "plug phb 1");

        Assert.Same(before, s.Machine.BootTree);
    }

    [Fact]
    public void Smt8_cores_are_numbered_by_their_first_thread()
    {
        EmulatedPlatform platform = EmulatedPlatform.Create(new MachineProfile { BootCpus = 8, MaxCpus = 32, Threads = 8 }, FixedClock.Default);
        DtNode root = platform.ReadBootTree().Root;

        Assert.Equal(["CPU 0", "CPU 8", "CPU 16", "CPU 24"],
            DrcCatalog.FromTree(root).Containers.Single(c => c.Path == "/cpus").Connectors.Select(c => c.Name));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (uint)i), root.Find("/cpus/PowerPC,POWER9@0")!.GetProperty("ibm,ppc-interrupt-server#s")!.AsCells());
    }

    private static List<string> Catalog(DtNode root) =>
        [.. DrcCatalog.FromTree(root).Containers.SelectMany(c => c.Connectors.Select(d => $"{c.Path} 0x{d.Index:x8} {d.Name} {d.Type} " +
            $"{d.PowerDomain:x}")).Order(StringComparer.Ordinal)];
}
