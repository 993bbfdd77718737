using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Memory;
using DlparAgent.Core.Tests.Support;

namespace DlparAgent.Core.Tests.Memory;

public sealed class NumaTopologyTests
{
    [Fact]
    public void Qemus_single_node_tree_puts_every_lmb_and_its_cpu_on_node_0()
    {
        DtNode root = FdtReader.Read(Fixtures.Bytes(Fixtures.CasDtb)).Root;
        DynamicReconfigurationMemory memory = DynamicReconfigurationMemory.FromTree(root)!;

        var numa = NumaTopology.Read(root, memory);

        Assert.Equal(new Dictionary<int, int> { [0] = 1 }, numa.CpusPerNode);
        Assert.All(memory.Lmbs, lmb => Assert.Equal(0, numa.NodeOf(lmb)));
    }

    [Fact]
    public void Nodes_are_the_domains_at_the_first_reference_point()
    {
        var root = new DtNode(string.Empty);
        root.AddChild("rtas").AddProperty(DtProperty.FromCells("ibm,associativity-reference-points", [4, 2]));
        DtNode cpus = root.AddChild("cpus");
        AddCpu(cpus, "PowerPC,POWER9@0", node: 0, threads: 4);
        AddCpu(cpus, "PowerPC,POWER9@8", node: 1, threads: 4);
        AddCpu(cpus, "PowerPC,POWER9@10", node: 1, threads: 2);
        var lookup = new AssociativityLookupArrays(4, [[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 2]]);

        var numa = NumaTopology.Read(root, null);
        var withLookup = NumaTopology.Read(root, Drconf(lookup));

        Assert.Equal(new Dictionary<int, int> { [0] = 4, [1] = 6 }, numa.CpusPerNode);
        Assert.Equal([0, 1, 2, 0], [.. new uint[] { 0, 1, 2, 0xFFFFFFFF }.Select(aa => withLookup.NodeOf(Lmb(aa)))]);
        Assert.Equal(0, numa.NodeOf(Lmb(2)));
    }

    private static DynamicMemoryLmb Lmb(uint aaIndex) => new(0x9000_0000, 0x8000_0009, 0, aaIndex, LmbFlags.Assigned);

    private static DynamicReconfigurationMemory Drconf(AssociativityLookupArrays lookup)
    {
        var node = new DtNode("ibm,dynamic-reconfiguration-memory");
        node.AddProperty(DtProperty.FromCells("ibm,lmb-size", [0, 0x1000_0000]));
        node.AddProperty(new DtProperty(AssociativityLookupArrays.PropertyName, lookup.Write()));
        node.AddProperty(new DtProperty(DynamicMemoryV1.PropertyName, DynamicMemoryV1.Write([Lmb(2)])));
        return DynamicReconfigurationMemory.FromNode(node);
    }

    private static void AddCpu(DtNode cpus, string name, int node, int threads)
    {
        DtNode cpu = cpus.AddChild(name);
        cpu.AddProperty(DtProperty.FromString("device_type", "cpu"));
        cpu.AddProperty(DtProperty.FromCells("ibm,associativity", [4, 0, 0, 0, (uint)node]));
        cpu.AddProperty(DtProperty.FromCells("ibm,ppc-interrupt-server#s", [.. Enumerable.Range(0, threads).Select(t => (uint)t)]));
    }
}
