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
    private readonly Dictionary<uint, ConnectorEntry> _byIndex;

    private ConnectorInventory(List<ConnectorEntry> entries)
    {
        Entries = entries;
        _byIndex = entries.GroupBy(e => e.Connector.Index).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>Connectors in device-tree container order, then as the firmware lists them.</summary>
    public IReadOnlyList<ConnectorEntry> Entries { get; }

    public static ConnectorInventory Read(IGuestKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        DtNode tree = kernel.ReadDeviceTree();
        var catalog = DrcCatalog.FromTree(tree);
        var memory = DynamicReconfigurationMemory.FromTree(tree);
        Dictionary<uint, DynamicMemoryLmb> lmbs = memory?.Lmbs.GroupBy(l => l.DrcIndex).ToDictionary(g => g.Key, g => g.First()) ?? [];
        Dictionary<uint, List<DtNode>> owners = OwnersByIndex(tree);
        Dictionary<uint, List<CpuThread>> threadsByServer = kernel.ReadCpuThreads().GroupBy(t => t.PhysicalId).ToDictionary(g => g.Key, g => g.ToList());
        Dictionary<int, MemoryBlock> blocks = lmbs.Count == 0 ? [] : kernel.ReadMemoryBlocks().ToDictionary(b => b.Number);
        ulong blockSize = lmbs.Count == 0 ? 0 : kernel.ReadMemoryBlockSize();
        Dictionary<string, HotplugSlot> hotplug = kernel.ReadHotplugSlots().GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => g.First(), StringComparer.Ordinal);

        var entries = new List<ConnectorEntry>(catalog.Count);
        foreach (DrcContainer container in catalog.Containers)
        {
            foreach (DrcConnector connector in container.Connectors)
            {
                ConnectorKind kind = ConnectorKinds.Of(connector);
                List<DtNode> nodes = owners.GetValueOrDefault(connector.Index) ?? [];
                var entry = new ConnectorEntry(connector, container.Path, kind, nodes.Count > 0, [.. nodes.Select(n => n.Path)]);
                entry = kind switch
                {
                    ConnectorKind.Cpu => entry with
                    {
                        Threads = [.. nodes.SelectMany(n => n.GetProperty("ibm,ppc-interrupt-server#s")?.AsCells() ?? [])
                            .SelectMany(server => threadsByServer.GetValueOrDefault(server) ?? [])
                            .OrderBy(t => t.Number)],
                    },
                    ConnectorKind.Memory when lmbs.TryGetValue(connector.Index, out DynamicMemoryLmb lmb) => entry with
                    {
                        Owned = lmb.IsAssigned,
                        Nodes = lmb.IsAssigned ? [DynamicReconfigurationMemory.NodePath] : [],
                        Memory = Details(memory!, lmb, blocks, blockSize),
                    },
                    ConnectorKind.Phb => entry with { Slots = OccupiedChildSlots(nodes) },
                    ConnectorKind.Pci => entry with { HotplugSlot = hotplug.TryGetValue(connector.Name, out HotplugSlot slot) ? slot : null },
                    _ => entry,
                };
                entries.Add(entry);
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

        return CNumber.TryParseU32(indexOrName, out uint index) && _byIndex.TryGetValue(index, out ConnectorEntry? byIndex) ? byIndex : null;
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

    private static MemoryDetails Details(DynamicReconfigurationMemory memory, DynamicMemoryLmb lmb, Dictionary<int, MemoryBlock> blocks, ulong blockSize)
    {
        uint? associativityIndex = lmb.AssociativityIndex == 0xFFFFFFFF ? null : lmb.AssociativityIndex;
        IReadOnlyList<uint> associativity = associativityIndex is { } a && memory.AssociativityLookup is { } lookup && a < lookup.Count ? lookup[(int)a] : [];
        var spanned = new List<MemoryBlock>();
        if (blockSize > 0 && lmb.IsAssigned)
        {
            for (ulong address = lmb.BaseAddress; address < lmb.BaseAddress + memory.LmbSize; address += blockSize)
            {
                if (address / blockSize <= int.MaxValue && blocks.TryGetValue((int)(address / blockSize), out MemoryBlock block))
                {
                    spanned.Add(block);
                }
            }
        }

        return new MemoryDetails(lmb.BaseAddress, memory.LmbSize, associativityIndex, associativity, spanned);
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
