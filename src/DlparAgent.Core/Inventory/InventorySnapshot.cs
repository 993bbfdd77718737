using System.Collections.ObjectModel;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Memory;

namespace DlparAgent.Core.Inventory;

/// <summary>
/// What the inventory joins, read once: the device tree, its connectors, the LMBs, and the
/// kernel's CPU, memory-block and hotplug-slot lists (only those the wanted kind needs).
/// </summary>
internal sealed class InventorySnapshot
{
    /// <summary>The nodes an owned LMB has: its container (LMBs have no node of their own).</summary>
    private static readonly string[] MemoryNode = [DynamicReconfigurationMemory.NodePath];

    private readonly DynamicReconfigurationMemory? _memory;
    private readonly Dictionary<uint, DynamicMemoryLmb> _lmbs;
    private readonly Dictionary<uint, List<DtNode>> _owners;
    private readonly Dictionary<uint, List<CpuThread>> _threadsByServer;
    private readonly Dictionary<int, MemoryBlock> _blocks;
    private readonly ulong _blockSize;
    private readonly Dictionary<string, HotplugSlot> _hotplug;
    private readonly IReadOnlyDictionary<string, string> _pciDevices;

    private InventorySnapshot(IGuestKernel kernel, ConnectorKind? only, DtNode tree)
    {
        bool Wants(ConnectorKind kind) => only is null || only == kind;
        Connectors = DrcCatalog.Walk(tree);
        _memory = Wants(ConnectorKind.Memory) ? DynamicReconfigurationMemory.FromTree(tree) : null;
        _lmbs = new Dictionary<uint, DynamicMemoryLmb>(_memory?.Lmbs.Count ?? 0);
        foreach (DynamicMemoryLmb lmb in _memory?.Lmbs ?? [])
        {
            _lmbs.TryAdd(lmb.DrcIndex, lmb);
        }

        _owners = OwnersByIndex(tree);
        _threadsByServer = !Wants(ConnectorKind.Cpu) ? [] : kernel.ReadCpuThreads().GroupBy(t => t.PhysicalId).ToDictionary(g => g.Key, g => g.ToList());
        _blocks = _lmbs.Count == 0 ? [] : kernel.ReadMemoryBlocks().ToDictionary(b => b.Number);
        _blockSize = _lmbs.Count == 0 ? 0 : kernel.ReadMemoryBlockSize();
        _pciDevices = !Wants(ConnectorKind.Pci) ? ReadOnlyDictionary<string, string>.Empty : kernel.ReadPciDevices();
        _hotplug = !Wants(ConnectorKind.Pci) ? [] : kernel.ReadHotplugSlots().GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The partition's connectors with their containers' paths, in device-tree order, built as they are walked.</summary>
    public IEnumerable<(string Container, DrcConnector Connector)> Connectors { get; }

    public static InventorySnapshot Read(IGuestKernel kernel, ConnectorKind? only, DtNode tree) => new(kernel, only, tree);

    /// <summary>Joins one connector with what the OS has made of it.</summary>
    public ConnectorEntry Entry(DrcConnector connector, string container, ConnectorKind kind)
    {
        List<DtNode> nodes = _owners.GetValueOrDefault(connector.Index) ?? [];
        return kind switch
        {
            ConnectorKind.Cpu => new ConnectorEntry(connector, container, kind, nodes.Count > 0, Paths(nodes))
            {
                Threads = [.. nodes.SelectMany(n => n.GetProperty("ibm,ppc-interrupt-server#s")?.AsCells() ?? [])
                    .SelectMany(server => _threadsByServer.GetValueOrDefault(server) ?? [])
                    .OrderBy(t => t.Number)],
            },
            ConnectorKind.Memory when _lmbs.TryGetValue(connector.Index, out DynamicMemoryLmb lmb) => new ConnectorEntry(connector, container, kind,
                lmb.IsAssigned, lmb.IsAssigned ? MemoryNode : [])
            {
                Memory = Details(lmb),
            },
            ConnectorKind.Phb => new ConnectorEntry(connector, container, kind, nodes.Count > 0, Paths(nodes))
            {
                Children = ChildConnectors(nodes),
            },
            ConnectorKind.Pci => new ConnectorEntry(connector, container, kind, nodes.Count > 0, Paths(nodes))
            {
                HotplugSlot = _hotplug.TryGetValue(connector.Name, out HotplugSlot slot) ? slot : null,
                PciDevices = nodes.Count == 0
                    ? ReadOnlyDictionary<string, string>.Empty
                    : nodes.Where(n => _pciDevices.ContainsKey(n.Path)).ToDictionary(n => n.Path, n => _pciDevices[n.Path], StringComparer.Ordinal),
            },
            _ => new ConnectorEntry(connector, container, kind, nodes.Count > 0, Paths(nodes)),
        };
    }

    private static Dictionary<uint, List<DtNode>> OwnersByIndex(DtNode tree)
    {
        var owners = new Dictionary<uint, List<DtNode>>();
        foreach (DtNode node in tree.DescendantsAndSelf())
        {
            if (node.GetProperty("ibm,my-drc-index") is { Length: 4 } property)
            {
                uint index = property.AsUInt32();
                if (!owners.TryGetValue(index, out List<DtNode>? list))
                {
                    owners[index] = list = [];
                }

                list.Add(node);
            }
        }

        return owners;
    }

    private static string[] Paths(List<DtNode> nodes) => nodes.Count == 0 ? [] : [.. nodes.Select(n => n.Path)];

    private MemoryDetails Details(DynamicMemoryLmb lmb)
    {
        DynamicReconfigurationMemory memory = _memory!;
        uint? associativityIndex = lmb.AssociativityIndex == 0xFFFFFFFF ? null : lmb.AssociativityIndex;
        IReadOnlyList<uint>? associativity = associativityIndex is { } a && memory.AssociativityLookup is { } lookup && a < lookup.Count
            ? lookup[(int)a]
            : null;
        IReadOnlyList<MemoryBlock> spanned = [];
        if (_blockSize > 0 && lmb.IsAssigned)
        {
            ulong first = lmb.BaseAddress / _blockSize, count = memory.LmbSize / _blockSize;
            int found = 0;
            // Bounded against a damaged LMB size; real LMBs span 1 to 16 blocks.
            MemoryBlock[] spannedBlocks = new MemoryBlock[(int)Math.Min(count, 1024)];
            for (ulong number = first; number < first + count && number <= int.MaxValue && found < spannedBlocks.Length; number++)
            {
                if (_blocks.TryGetValue((int)number, out MemoryBlock block))
                {
                    spannedBlocks[found++] = block;
                }
            }

            spanned = found == spannedBlocks.Length ? spannedBlocks : spannedBlocks[..found];
        }

        return new MemoryDetails(lmb.BaseAddress, memory.LmbSize, associativityIndex, associativity, spanned, _blockSize, lmb.IsDynamic);
    }

    private static List<ChildConnector> ChildConnectors(List<DtNode> phbNodes)
    {
        var children = new List<ChildConnector>();
        foreach (DtNode phb in phbNodes)
        {
            foreach (DrcConnector slot in DrcCatalog.ReadContainer(phb)?.Connectors ?? [])
            {
                children.Add(new ChildConnector(slot, phb.Children.Any(n => n.GetUInt32("ibm,my-drc-index") == slot.Index)));
            }
        }

        return children;
    }
}
