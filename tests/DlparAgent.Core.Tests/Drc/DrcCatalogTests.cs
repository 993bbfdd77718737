using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Drc;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Tests.Support;

namespace DlparAgent.Core.Tests.Drc;

public class DrcCatalogTests
{
    public static TheoryData<string> QemuTrees => [Fixtures.CasDtb, Fixtures.CasDrmemV1Dtb, Fixtures.NoCasDtb];

    [Theory]
    [MemberData(nameof(QemuTrees))]
    public void Qemu_trees_describe_exactly_their_connectors(string fixture)
    {
        DrcCatalog catalog = DrcCatalog.FromTree(FdtReader.Read(Fixtures.Bytes(fixture)).Root);

        Assert.Equal(["/", "/cpus", "/pci@800000020000000", "/pci@800000020000001"], catalog.Containers.Select(c => c.Path));
        Assert.All(catalog.Containers, c => Assert.Equal(DrcSource.Arrays, c.Source));
        Assert.Equal(63 + 8 + 256 + 256, catalog.Count);
        Assert.All(catalog.Connectors, c => Assert.Equal(DrcConnector.LiveInsertionDomain, c.PowerDomain));

        Expect(catalog, "CPU", Enumerable.Range(0, 8).Select(i => (0x10000000u + (uint)i, $"CPU {i}")), "/cpus");
        Expect(catalog, "MEM", Enumerable.Range(8, 24).Select(i => (0x80000000u + (uint)i, $"LMB {i}")), "/");
        Expect(catalog, "PHB", Enumerable.Range(0, 31).Select(i => (0x20000000u + (uint)i, $"PHB {i}")), "/");
        Expect(catalog, "PMEM", Enumerable.Range(0, 8).Select(i => (0x90000000u + (uint)i, $"PMEM {i}")), "/");
        Expect(
            catalog,
            "28",
            Enumerable.Range(0, 256).Select(i => (0x40000000u + (uint)i, $"C{i}"))
                .Concat(Enumerable.Range(0, 256).Select(i => (0x40010000u + (uint)i, $"C{65536 + i}"))),
            null);
        Assert.Equal(Enumerable.Range(0, 256).Select(i => $"C{i}").Order(), catalog.Containers[2].Connectors.Select(c => c.Name).Order());
        Assert.Equal(Enumerable.Range(0, 256).Select(i => $"C{65536 + i}").Order(), catalog.Containers[3].Connectors.Select(c => c.Name).Order());
    }

    [Theory]
    [MemberData(nameof(QemuTrees))]
    public void A_walk_yields_the_catalogs_connectors_in_order_with_their_containers(string fixture)
    {
        DtNode root = FdtReader.Read(Fixtures.Bytes(fixture)).Root;
        var cpus = root.Find("/cpus")!;
        cpus.AddProperty(new DtProperty(DrcInfo.PropertyName, DrcInfo.Write([new DrcInfoEntry("CPU", "CPU ", 0x10000000, 0, 4, 8, 0xFFFFFFFF)])));

        DrcCatalog catalog = DrcCatalog.FromTree(root);

        Assert.Equal(catalog.Containers.SelectMany(c => c.Connectors.Select(connector => (c.Path, connector))), DrcCatalog.Walk(root));
        Assert.Contains(catalog.Containers, c => c.Source == DrcSource.DrcInfo);
    }

    [Fact]
    public void A_walk_over_a_damaged_description_fails_before_the_first_connector()
    {
        DtNode root = FdtReader.Read(Fixtures.Bytes(Fixtures.CasDtb)).Root;
        root.Find("/cpus")!.AddProperty(new DtProperty(DrcInfo.PropertyName, [0, 0, 0, 9, 0x41]));

        var error = Assert.Throws<DlparFormatException>(() => DrcCatalog.Walk(root));

        Assert.Contains("/cpus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Looks_up_by_index_and_name()
    {
        DrcCatalog catalog = DrcCatalog.FromTree(FdtReader.Read(Fixtures.Bytes(Fixtures.CasDtb)).Root);

        Assert.True(catalog.TryGetByIndex(0x40000018, out DrcConnector slot, out DrcContainer container));
        Assert.Equal("C24", slot.Name);
        Assert.Equal("/pci@800000020000000", container.Path);
        Assert.True(slot.IsPhysicalSlot);
        Assert.True(catalog.TryGetByName("PHB 1", out DrcConnector phb, out _));
        Assert.Equal(0x20000001u, phb.Index);
        Assert.False(phb.IsPhysicalSlot);
        Assert.False(catalog.TryGetByName("LMB 7", out _, out _));
        Assert.False(catalog.TryGetByIndex(0xDEADBEEF, out _, out _));
    }

    [Fact]
    public void Drc_info_is_preferred_over_the_arrays()
    {
        var node = new DtNode(string.Empty);
        (byte[] indexes, byte[] names, byte[] types, byte[] domains) = DrcArrays.Write([new DrcConnector(1, "X 1", "X", 0)]);
        node.AddProperty(new DtProperty(DrcArrays.IndexesProperty, indexes));
        node.AddProperty(new DtProperty(DrcArrays.NamesProperty, names));
        node.AddProperty(new DtProperty(DrcArrays.TypesProperty, types));
        node.AddProperty(new DtProperty(DrcArrays.PowerDomainsProperty, domains));
        node.AddProperty(new DtProperty(DrcInfo.PropertyName, DrcInfo.Write([new DrcInfoEntry("CPU", "CPU ", 0x10000000, 0, 4, 8, 0xFFFFFFFF)])));

        DrcContainer container = DrcCatalog.ReadContainer(node)!;

        Assert.Equal(DrcSource.DrcInfo, container.Source);
        Assert.Equal(["CPU 0", "CPU 8", "CPU 16", "CPU 24"], container.Connectors.Select(c => c.Name));
        Assert.Equal([0x10000000u, 0x10000008, 0x10000010, 0x10000018], container.Connectors.Select(c => c.Index));
    }

    [Fact]
    public void A_node_with_only_some_arrays_is_an_error_naming_what_is_missing()
    {
        var root = new DtNode(string.Empty);
        DtNode cpus = root.AddChild("cpus");
        cpus.AddProperty(DtProperty.FromCells(DrcArrays.IndexesProperty, [1, 0x10000000]));

        var error = Assert.Throws<DlparFormatException>(() => DrcCatalog.FromTree(root));

        Assert.Contains("/cpus", error.Message, StringComparison.Ordinal);
        Assert.Contains("ibm,drc-names", error.Message, StringComparison.Ordinal);
        Assert.Contains("ibm,drc-power-domains", error.Message, StringComparison.Ordinal);
    }

    private static void Expect(DrcCatalog catalog, string type, IEnumerable<(uint Index, string Name)> expected, string? path)
    {
        var actual = catalog.OfType(type).Select(c => (c.Index, c.Name)).OrderBy(c => c.Index).ToList();
        Assert.Equal(expected.OrderBy(c => c.Index), actual);
        if (path is not null)
        {
            Assert.All(actual, c =>
            {
                Assert.True(catalog.TryGetByIndex(c.Index, out _, out DrcContainer container));
                Assert.Equal(path, container.Path);
            });
        }
    }
}
