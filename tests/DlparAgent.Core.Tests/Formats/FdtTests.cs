using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Tests.Support;

namespace DlparAgent.Core.Tests.Formats;

public class FdtTests
{
    public static TheoryData<string> QemuTrees => [Fixtures.CasDtb, Fixtures.CasDrmemV1Dtb, Fixtures.NoCasDtb];

    [Theory]
    [MemberData(nameof(QemuTrees))]
    public void Real_trees_write_back_byte_for_byte(string fixture)
    {
        byte[] blob = Fixtures.Bytes(fixture);

        byte[] written = FdtWriter.Write(FdtReader.Read(blob));

        Assert.Equal(blob, written);
    }

    [Theory]
    [MemberData(nameof(QemuTrees))]
    public void A_fresh_string_table_gives_the_same_tree(string fixture)
    {
        FlattenedDeviceTree tree = FdtReader.Read(Fixtures.Bytes(fixture));
        tree.OriginalStrings = null;

        FlattenedDeviceTree again = FdtReader.Read(FdtWriter.Write(tree));

        Assert.Equal(Describe(tree.Root), Describe(again.Root));
    }

    [Fact]
    public void Reads_header_fields_and_nodes_of_the_cas_tree()
    {
        FlattenedDeviceTree tree = FdtReader.Read(Fixtures.Bytes(Fixtures.CasDtb));

        Assert.Empty(tree.Reservations);
        Assert.Equal(0u, tree.BootCpuId);
        DtNode cpu = Assert.IsType<DtNode>(tree.Root.Find("/cpus/PowerPC,POWER9@0"));
        Assert.Equal(0x10000000u, cpu.GetUInt32("ibm,my-drc-index"));
        Assert.Equal("cpu", cpu.GetString("device_type"));
        Assert.Equal("PowerPC,POWER9", cpu.BaseName);
        Assert.Equal("0", cpu.UnitAddress);
        Assert.Equal(0x40000018u, tree.Root.Find("/pci@800000020000000/ethernet@3")!.GetUInt32("ibm,my-drc-index"));
        Assert.Equal(0x40010010u, tree.Root.Find("/pci@800000020000001/ethernet@2")!.GetUInt32("ibm,my-drc-index"));
        Assert.Null(tree.Root.Find("/no/such/node"));
    }

    [Fact]
    public void The_nocas_tree_negotiated_nothing_and_has_no_drconf_node()
    {
        DtNode root = FdtReader.Read(Fixtures.Bytes(Fixtures.NoCasDtb)).Root;

        Assert.Equal(new byte[] { 0, 0 }, root.Find("/chosen")!.GetProperty("ibm,architecture-vec-5")!.Value.ToArray());
        Assert.Null(root.Find("/ibm,dynamic-reconfiguration-memory"));
    }

    [Fact]
    public void Writes_reservations_and_boot_cpu_and_reads_them_back()
    {
        var root = new DtNode(string.Empty);
        root.AddProperty(DtProperty.FromString("compatible", "qemu,pseries"));
        DtNode cpus = root.AddChild("cpus");
        cpus.AddProperty(DtProperty.FromUInt32("#address-cells", 1));
        cpus.AddChild("PowerPC,POWER9@8").AddProperty(DtProperty.FromCells("ibm,ppc-interrupt-server#s", [8, 9, 10, 11]));
        var tree = new FlattenedDeviceTree(root) { BootCpuId = 8, Reservations = [new FdtReservation(0x1000, 0x2000)] };

        FlattenedDeviceTree again = FdtReader.Read(FdtWriter.Write(tree));

        Assert.Equal(8u, again.BootCpuId);
        Assert.Equal([new FdtReservation(0x1000, 0x2000)], again.Reservations);
        Assert.Equal(new uint[] { 8, 9, 10, 11 }, again.Root.Find("/cpus/PowerPC,POWER9@8")!.GetProperty("ibm,ppc-interrupt-server#s")!.AsCells());
        Assert.Equal("qemu,pseries", again.Root.GetString("compatible"));
    }

    [Fact]
    public void Reads_a_version_16_blob_without_size_dt_struct()
    {
        byte[] blob = FdtWriter.Write(FdtReader.Read(Fixtures.Bytes(Fixtures.NoCasDtb)));
        blob[23] = 16; // version 16: the header ends before size_dt_struct

        FlattenedDeviceTree tree = FdtReader.Read(blob);

        Assert.NotNull(tree.Root.Find("/cpus"));
    }

    [Theory]
    [InlineData(0, 0x00, "magic")]
    [InlineData(7, 0xFF, "totalsize")]
    [InlineData(11, 0x01, "off_dt_struct")]
    [InlineData(15, 0xFF, "off_dt_strings")]
    [InlineData(23, 15, "version")]
    [InlineData(39, 0xFF, "overlaps the off_dt_strings block")]
    public void Header_damage_names_the_field(int offset, byte value, string field)
    {
        byte[] blob = Fixtures.Bytes(Fixtures.CasDtb);
        blob[offset] = value;

        var error = Assert.Throws<DlparFormatException>(() => FdtReader.Read(blob));

        Assert.Equal("fdt", error.Format);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blob_shorter_than_its_totalsize_is_refused()
    {
        byte[] blob = Fixtures.Bytes(Fixtures.CasDtb);

        var error = Assert.Throws<DlparFormatException>(() => FdtReader.Read(blob.AsSpan(0, blob.Length - 1)));

        Assert.Equal("totalsize", error.Field);
        Assert.Equal(4, error.Offset);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_refused_without_recursion()
    {
        var root = new DtNode(string.Empty);
        DtNode node = root;
        for (int i = 0; i < 100; i++)
        {
            node = node.AddChild($"n{i}");
        }

        byte[] blob = FdtWriter.Write(new FlattenedDeviceTree(root));

        var error = Assert.Throws<DlparFormatException>(() => FdtReader.Read(blob));
        Assert.Contains("nesting deeper than 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_accessors_check_lengths()
    {
        DtProperty cells = DtProperty.FromCells("reg", [1, 2, 3]);

        Assert.Throws<DlparFormatException>(() => cells.AsUInt32());
        Assert.Throws<DlparFormatException>(() => new DtProperty("odd", [1, 2, 3]).AsCells());
        Assert.Throws<DlparFormatException>(() => new DtProperty("s", [(byte)'a']).AsString());
        Assert.Equal(["a", "bc"], DtProperty.FromStrings("l", ["a", "bc"]).AsStrings());
        Assert.Equal(0x0000000010000000UL, DtProperty.FromUInt64("ibm,lmb-size", 0x10000000).AsUInt64());
    }

    [Fact]
    public void Nodes_keep_names_unique_and_paths_right()
    {
        var root = new DtNode(string.Empty);
        DtNode pci = root.AddChild("pci@800000020000000");
        pci.AddChild("ethernet@3");

        Assert.Throws<InvalidOperationException>(() => root.AddChild("pci@800000020000000"));
        Assert.Equal("/pci@800000020000000/ethernet@3", root.Find("pci@800000020000000/ethernet@3")!.Path);
        Assert.True(root.RemoveChild(pci));
        Assert.Null(root.Find("/pci@800000020000000"));
        Assert.Equal("/", root.Path);
    }

    [Fact]
    public void Many_children_are_found_by_name()
    {
        var root = new DtNode(string.Empty);
        for (int i = 0; i < 1000; i++)
        {
            root.AddChild($"memory@{i:x}");
        }

        Assert.Equal("memory@3e7", root.Find("/memory@3e7")!.Name);
        Assert.True(root.RemoveChild(root.GetChild("memory@10")!));
        Assert.Null(root.GetChild("memory@10"));
        Assert.Equal(999, root.Children.Count);
    }

    private static List<string> Describe(DtNode root) =>
        [.. root.DescendantsAndSelf().SelectMany(n => n.Properties.Select(p => $"{n.Path}:{p.Name}={Convert.ToHexString(p.Value)}").Prepend(n.Path))];
}
