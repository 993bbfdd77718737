using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Memory;

namespace DlparAgent.Core.Inventory;

/// <summary>
/// Every connector of the partition with what the OS has made of it, read from one snapshot of
/// the device tree and the kernel's CPU, memory-block and hotplug-slot lists (each read once).
/// </summary>
public sealed class ConnectorInventory
{
    /// <summary>The nodes an owned LMB has: its container (LMBs have no node of their own).</summary>
    private static readonly string[] MemoryNode = [DynamicReconfigurationMemory.NodePath];

    private ConnectorInventory(List<ConnectorEntry> entries) => Entries = entries;

    /// <summary>Connectors in device-tree container order, then as the firmware lists them.</summary>
    public IReadOnlyList<ConnectorEntry> Entries { get; }

    /// <summary>Reads every connector, or only those of one kind (then only what that kind needs is read).</summary>
    public static ConnectorInventory Read(IGuestKernel kernel, ConnectorKind? only = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        DtNode tree = kernel.ReadDeviceTree();
        var catalog = DrcCatalog.FromTree(tree);
        bool Wants(ConnectorKind kind) => only is null || only == kind;

        DynamicReconfigurationMemory? memory = Wants(ConnectorKind.Memory) ? DynamicReconfigurationMemory.FromTree(tree) : null;
        var lmbs = new Dictionary<uint, DynamicMemoryLmb>(memory?.Lmbs.Count ?? 0);
        foreach (DynamicMemoryLmb lmb in memory?.Lmbs ?? [])
        {
            lmbs.TryAdd(lmb.DrcIndex, lmb);
        }

        Dictionary<uint, List<DtNode>> owners = OwnersByIndex(tree);
        Dictionary<uint, List<CpuThread>> threadsByServer = !Wants(ConnectorKind.Cpu) ? [] : kernel.ReadCpuThreads().GroupBy(t => t.PhysicalId)
            .ToDictionary(g => g.Key, g => g.ToList());
        Dictionary<int, MemoryBlock> blocks = lmbs.Count == 0 ? [] : kernel.ReadMemoryBlocks().ToDictionary(b => b.Number);
        ulong blockSize = lmbs.Count == 0 ? 0 : kernel.ReadMemoryBlockSize();
        Dictionary<string, HotplugSlot> hotplug = !Wants(ConnectorKind.Pci) ? [] : kernel.ReadHotplugSlots().GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var entries = new List<ConnectorEntry>(only is null ? catalog.Count : 0);
        var kindOfType = new Dictionary<string, ConnectorKind>(StringComparer.Ordinal);
        foreach (DrcContainer container in catalog.Containers)
        {
            foreach (DrcConnector connector in container.Connectors)
            {
                if (!kindOfType.TryGetValue(connector.Type, out ConnectorKind kind))
                {
                    kindOfType[connector.Type] = kind = ConnectorKinds.OfType(connector.Type);
                }

                if (!Wants(kind))
                {
                    continue;
                }

                List<DtNode> nodes = owners.GetValueOrDefault(connector.Index) ?? [];
                entries.Add(kind switch
                {
                    ConnectorKind.Cpu => new ConnectorEntry(connector, container.Path, kind, nodes.Count > 0, Paths(nodes))
                    {
                        Threads = [.. nodes.SelectMany(n => n.GetProperty("ibm,ppc-interrupt-server#s")?.AsCells() ?? [])
                            .SelectMany(server => threadsByServer.GetValueOrDefault(server) ?? [])
                            .OrderBy(t => t.Number)],
                    },
                    ConnectorKind.Memory when lmbs.TryGetValue(connector.Index, out DynamicMemoryLmb lmb) => new ConnectorEntry(connector, container.Path,
                        kind, lmb.IsAssigned, lmb.IsAssigned ? MemoryNode : [])
                    {
                        Memory = Details(memory!, lmb, blocks, blockSize),
                    },
                    ConnectorKind.Phb => new ConnectorEntry(connector, container.Path, kind, nodes.Count > 0, Paths(nodes))
                    {
                        Slots = OccupiedChildSlots(nodes),
                    },
                    ConnectorKind.Pci => new ConnectorEntry(connector, container.Path, kind, nodes.Count > 0, Paths(nodes))
                    {
                        HotplugSlot = hotplug.TryGetValue(connector.Name, out HotplugSlot slot) ? slot : null,
                    },
                    _ => new ConnectorEntry(connector, container.Path, kind, nodes.Count > 0, Paths(nodes)),
                });
            }
        }

        return new ConnectorInventory(entries);
    }

    /// <summary>The connectors of one kind.</summary>
    public IEnumerable<ConnectorEntry> OfKind(ConnectorKind kind) => Entries.Where(e => e.Kind == kind);

    /// <summary>
    /// Finds a connector by DRC index (<c>0x…</c>, decimal or octal, as drmgr's <c>-s</c>) or by
    /// exact DRC name; a name wins when the text is both.
    /// </summary>
    public ConnectorEntry? Find(string indexOrName)
    {
        ArgumentNullException.ThrowIfNull(indexOrName);
        ConnectorEntry? byName = Entries.FirstOrDefault(e => e.Connector.Name == indexOrName);
        if (byName is not null)
        {
            return byName;
        }

        return CNumber.TryParseU32(indexOrName, out uint index) ? Entries.FirstOrDefault(e => e.Connector.Index == index) : null;
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

    private static MemoryDetails Details(DynamicReconfigurationMemory memory, DynamicMemoryLmb lmb, Dictionary<int, MemoryBlock> blocks, ulong blockSize)
    {
        uint? associativityIndex = lmb.AssociativityIndex == 0xFFFFFFFF ? null : lmb.AssociativityIndex;
        IReadOnlyList<uint>? associativity = associativityIndex is { } a && memory.AssociativityLookup is { } lookup && a < lookup.Count
            ? lookup[(int)a]
            : null;
        IReadOnlyList<MemoryBlock> spanned = [];
        if (blockSize > 0 && lmb.IsAssigned)
        {
            ulong first = lmb.BaseAddress / blockSize, count = memory.LmbSize / blockSize;
            int found = 0;
            // Bounded against a damaged LMB size; real LMBs span 1 to 16 blocks.
            MemoryBlock[] spannedBlocks = new MemoryBlock[(int)Math.Min(count, 1024)];
            for (ulong number = first; number < first + count && number <= int.MaxValue && found < spannedBlocks.Length; number++)
            {
                if (blocks.TryGetValue((int)number, out MemoryBlock block))
                {
                    spannedBlocks[found++] = block;
                }
            }

            spanned = found == spannedBlocks.Length ? spannedBlocks : spannedBlocks[..found];
        }

        return new MemoryDetails(lmb.BaseAddress, memory.LmbSize, associativityIndex, associativity, spanned, blockSize, lmb.IsDynamic);
    }

    private static List<string> OccupiedChildSlots(List<DtNode> phbNodes)
    {
        var slots = new List<string>();
        foreach (DtNode phb in phbNodes)
        {
            foreach (DrcConnector slot in DrcCatalog.ReadContainer(phb)?.Connectors ?? [])
            {
                if (phb.Children.Any(n => n.GetUInt32("ibm,my-drc-index") == slot.Index))
                {
                    slots.Add(slot.Name);
                }
            }
        }

        return slots;
    }
}
