using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Memory;

namespace DlparAgent.Core.Memory;

/// <summary>
/// The partition's NUMA nodes as Linux numbers them: the domain at the first entry of
/// <c>/rtas/ibm,associativity-reference-points</c>. LMBs find theirs through the associativity lookup
/// arrays, CPUs through their <c>ibm,associativity</c>. Without reference points everything is node 0.
/// </summary>
public sealed class NumaTopology
{
    private readonly int _depth;
    private readonly AssociativityLookupArrays? _lookup;

    private NumaTopology(int depth, AssociativityLookupArrays? lookup, IReadOnlyDictionary<int, int> cpus)
    {
        _depth = depth;
        _lookup = lookup;
        CpusPerNode = cpus;
    }

    /// <summary>Hardware threads per node (a core counts its interrupt servers).</summary>
    public IReadOnlyDictionary<int, int> CpusPerNode { get; }

    public static NumaTopology Read(DtNode root, DynamicReconfigurationMemory? memory)
    {
        ArgumentNullException.ThrowIfNull(root);
        uint[] points = root.Find("/rtas")?.GetProperty("ibm,associativity-reference-points")?.AsCells() ?? [];
        int depth = points.Length > 0 ? (int)points[0] : 0;
        var cpus = new Dictionary<int, int>();
        foreach (DtNode cpu in root.Find("/cpus")?.Children.Where(c => c.GetString("device_type") == "cpu") ?? [])
        {
            int node = Domain(cpu.GetProperty("ibm,associativity")?.AsCells() ?? [], depth);
            int threads = Math.Max(1, cpu.GetProperty("ibm,ppc-interrupt-server#s")?.AsCells().Length ?? 1);
            cpus[node] = cpus.GetValueOrDefault(node) + threads;
        }

        return new NumaTopology(depth, memory?.AssociativityLookup, cpus);
    }

    /// <summary>The node of an LMB; node 0 when its associativity is unknown.</summary>
    public int NodeOf(DynamicMemoryLmb lmb)
    {
        if (_depth <= 0 || _lookup is null || lmb.AssociativityIndex >= (uint)_lookup.Count)
        {
            return 0;
        }

        IReadOnlyList<uint> domains = _lookup[(int)lmb.AssociativityIndex];
        return _depth <= domains.Count ? (int)domains[_depth - 1] : 0;
    }

    /// <summary>The domain at the reference depth of an <c>ibm,associativity</c> value (its first cell is the count).</summary>
    private static int Domain(uint[] associativity, int depth) =>
        depth > 0 && depth < associativity.Length && associativity[0] >= depth ? (int)associativity[depth] : 0;
}
