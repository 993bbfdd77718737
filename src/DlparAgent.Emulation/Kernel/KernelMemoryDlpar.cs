using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;

namespace DlparAgent.Emulation.Kernel;

/// <summary>
/// Linux <c>hotplug-memory.c</c>: memory add and remove by count (all or nothing), by index and by
/// indexed count, over the LMB table of <c>/ibm,dynamic-reconfiguration-memory</c>, which is
/// rewritten after every successful request (<c>drmem_update_dt</c>).
/// </summary>
internal sealed class KernelMemoryDlpar(KernelState state, KernelRtas rtas)
{
    private const string DrconfPath = "/ibm,dynamic-reconfiguration-memory";

    public ulong BlockSize => BlockSizeOf(state);

    /// <summary>pseries sizes memory blocks as LMBs: <c>ibm,lmb-size</c>, else 256 MiB.</summary>
    public static ulong BlockSizeOf(KernelState state) =>
        state.Tree.Find(DrconfPath) is { } node && node.GetProperty(LmbSize.PropertyName) is { } size ? LmbSize.Read(size.Value) : 256UL << 20;

    public void Execute(DlparAction action, DlparTarget target)
    {
        // Linux 6.1 refuses a count of nothing, by count or indexed-count.
        if (target is DlparTarget.ByCount { Count: 0 } or DlparTarget.ByIndexedCount { Count: 0 })
        {
            throw new KernelException(Errno.EINVAL, "no LMBs requested");
        }

        DtNode drconf = Drconf() ?? throw new KernelException(Errno.EINVAL, "no dynamic reconfiguration memory");
        var table = new LmbTable(drconf);
        switch (action, target)
        {
            case (DlparAction.Add, DlparTarget.ByCount count):
                AddByCount(table, (int)Math.Min(count.Count, int.MaxValue));
                break;
            case (DlparAction.Remove, DlparTarget.ByCount count):
                RemoveByCount(table, (int)Math.Min(count.Count, int.MaxValue));
                break;
            case (DlparAction.Add, DlparTarget.ByIndex index):
                AddByIndex(table, index.Index);
                break;
            case (DlparAction.Remove, DlparTarget.ByIndex index):
                RemoveByIndex(table, index.Index);
                break;
            case (DlparAction.Add, DlparTarget.ByIndexedCount range):
                AddRange(table, Range(table, range));
                break;
            case (DlparAction.Remove, DlparTarget.ByIndexedCount range):
                RemoveRange(table, Range(table, range));
                break;
            default:
                throw new KernelException(Errno.EINVAL, "unsupported memory request");
        }

        table.Write();
    }

    private void AddByCount(LmbTable table, int count)
    {
        if (table.Lmbs.Count(l => (l.Flags & (LmbFlags.Reserved | LmbFlags.Assigned)) == 0) < count)
        {
            throw new KernelException(Errno.EINVAL, $"Not enough LMBs available ({count} requested)");
        }

        var added = new List<int>();
        for (int i = 0; i < table.Lmbs.Length && added.Count < count; i++)
        {
            if ((table.Lmbs[i].Flags & (LmbFlags.Reserved | LmbFlags.Assigned)) != 0 || rtas.Acquire(table.Lmbs[i].DrcIndex) != 0)
            {
                continue;
            }

            if (TryAdd(table, i))
            {
                added.Add(i);
            }
            else
            {
                rtas.Release(table.Lmbs[i].DrcIndex);
            }
        }

        if (added.Count < count)
        {
            foreach (int i in added)
            {
                RemoveLmb(table, i);
                rtas.Release(table.Lmbs[i].DrcIndex);
            }

            throw new KernelException(Errno.EINVAL, $"Memory hot-add failed, adding {count} LMBs: only {added.Count} could be added, rolled back");
        }
    }

    private void RemoveByCount(LmbTable table, int count)
    {
        if (table.Lmbs.Where((_, i) => IsRemovable(table, i)).Count() < count)
        {
            throw new KernelException(Errno.EINVAL, $"Not enough LMBs available ({count} requested) to satisfy request");
        }

        var removed = new List<int>();
        for (int i = 0; i < table.Lmbs.Length && removed.Count < count; i++)
        {
            if (IsRemovable(table, i) && RemoveLmb(table, i))
            {
                removed.Add(i);
            }
        }

        if (removed.Count < count)
        {
            foreach (int i in removed)
            {
                TryAdd(table, i);
            }

            throw new KernelException(Errno.EINVAL, $"Memory hot-remove failed, adding any removed LMBs back");
        }

        // DRCs are released only once every LMB is down; a refusal is only logged, as Linux does.
        foreach (int i in removed)
        {
            rtas.Release(table.Lmbs[i].DrcIndex);
        }
    }

    private void AddByIndex(LmbTable table, uint index)
    {
        int i = table.Find(index) ?? throw new KernelException(Errno.EINVAL, $"Memory at drc index {index:x} not found");
        if ((table.Lmbs[i].Flags & LmbFlags.Assigned) != 0)
        {
            throw new KernelException(Errno.EINVAL, $"LMB {index:x} is already assigned");
        }

        int rc = rtas.Acquire(index);
        if (rc != 0)
        {
            throw new KernelException(rc == -1 ? Errno.EPERM : KernelException.FromRtas(new(rc)), $"Failed to acquire DRC {index:x}");
        }

        if (!TryAdd(table, i))
        {
            rtas.Release(index);
            throw new KernelException(Errno.EINVAL, $"Failed to add LMB {index:x}");
        }
    }

    private void RemoveByIndex(LmbTable table, uint index)
    {
        int i = table.Find(index) ?? throw new KernelException(Errno.EINVAL, $"Memory at drc index {index:x} not found");
        if (!IsRemovable(table, i) || !RemoveLmb(table, i))
        {
            throw new KernelException(Errno.EINVAL, $"Failed to hot-remove memory at drc index {index:x}");
        }

        rtas.Release(index);
    }

    private void AddRange(LmbTable table, int[] range)
    {
        var added = new List<int>();
        foreach (int i in range)
        {
            if ((table.Lmbs[i].Flags & LmbFlags.Assigned) != 0)
            {
                continue;
            }

            bool ok = rtas.Acquire(table.Lmbs[i].DrcIndex) == 0;
            if (ok && !TryAdd(table, i))
            {
                rtas.Release(table.Lmbs[i].DrcIndex);
                ok = false;
            }

            if (!ok)
            {
                foreach (int done in added)
                {
                    RemoveLmb(table, done);
                    rtas.Release(table.Lmbs[done].DrcIndex);
                }

                throw new KernelException(Errno.EINVAL, "Memory indexed-count-add failed, removing any added LMBs");
            }

            added.Add(i);
        }
    }

    private void RemoveRange(LmbTable table, int[] range)
    {
        var removed = new List<int>();
        foreach (int i in range)
        {
            if ((table.Lmbs[i].Flags & LmbFlags.Assigned) == 0)
            {
                continue;
            }

            if (!IsRemovable(table, i) || !RemoveLmb(table, i))
            {
                foreach (int done in removed)
                {
                    rtas.Unisolate(table.Lmbs[done].DrcIndex);
                    TryAdd(table, done);
                }

                throw new KernelException(Errno.EINVAL, "Memory indexed-count-remove failed, adding any removed LMBs");
            }

            removed.Add(i);
        }

        foreach (int i in removed)
        {
            rtas.Release(table.Lmbs[i].DrcIndex);
        }
    }

    private static int[] Range(LmbTable table, DlparTarget.ByIndexedCount range)
    {
        int first = table.Find(range.FirstIndex) ?? throw new KernelException(Errno.EINVAL, $"Memory at drc index {range.FirstIndex:x} not found");
        if ((long)first + range.Count > table.Lmbs.Length)
        {
            throw new KernelException(Errno.EINVAL, "the indexed range runs off the LMB table");
        }

        int[] indexes = [.. Enumerable.Range(first, (int)range.Count)];
        if (indexes.Any(i => (table.Lmbs[i].Flags & LmbFlags.Reserved) != 0))
        {
            throw new KernelException(Errno.EINVAL, "the indexed range holds firmware-reserved memory");
        }

        return indexes;
    }

    /// <summary><c>dlpar_add_lmb</c>: configure-connector for the associativity, add and online the memory, mark it assigned.</summary>
    private bool TryAdd(LmbTable table, int i)
    {
        DynamicMemoryLmb lmb = table.Lmbs[i];
        uint aaIndex;
        try
        {
            DtNode fragment = rtas.ConfigureConnector(lmb.DrcIndex);
            aaIndex = table.AssociativityIndex(fragment.GetProperty("ibm,associativity")?.AsCells() ?? []);
        }
        catch (Exception error) when (error is KernelException or DlparFormatException)
        {
            return false;
        }

        foreach (int block in Blocks(table, lmb))
        {
            if (state.MemoryBlocks.ContainsKey(block))
            {
                return false;
            }
        }

        foreach (int block in Blocks(table, lmb))
        {
            state.MemoryBlocks[block] = new MemoryBlock(block, Online: true, Removable: true);
        }

        table.Lmbs[i] = lmb with { AssociativityIndex = aaIndex, Flags = lmb.Flags | LmbFlags.Assigned };
        return true;
    }

    /// <summary><c>dlpar_remove_lmb</c>: offline and remove the memory, invalidate its associativity, clear assigned.</summary>
    private bool RemoveLmb(LmbTable table, int i)
    {
        DynamicMemoryLmb lmb = table.Lmbs[i];
        if ((lmb.Flags & LmbFlags.Assigned) == 0)
        {
            return false;
        }

        foreach (int block in Blocks(table, lmb))
        {
            state.MemoryBlocks.Remove(block);
        }

        table.Lmbs[i] = lmb with { AssociativityIndex = 0xFFFFFFFF, Flags = lmb.Flags & ~LmbFlags.Assigned };
        return true;
    }

    /// <summary>Assigned, not firmware-reserved, and every block of it removable.</summary>
    private bool IsRemovable(LmbTable table, int i)
    {
        DynamicMemoryLmb lmb = table.Lmbs[i];
        return (lmb.Flags & (LmbFlags.Assigned | LmbFlags.Reserved)) == LmbFlags.Assigned
            && Blocks(table, lmb).All(b => state.MemoryBlocks.TryGetValue(b, out MemoryBlock block) && block.Removable);
    }

    private static IEnumerable<int> Blocks(LmbTable table, DynamicMemoryLmb lmb)
    {
        // pseries sizes memory blocks as LMBs (BlockSizeOf reads the same ibm,lmb-size as the table).
        ulong blockSize = table.LmbSize;
        for (ulong offset = 0; offset < table.LmbSize; offset += blockSize)
        {
            yield return (int)((lmb.BaseAddress + offset) / blockSize);
        }
    }

    private DtNode? Drconf() => state.Tree.Find(DrconfPath);

    /// <summary>The LMB table of the drconf node, written back in the form it was read (v1 or v2).</summary>
    private sealed class LmbTable
    {
        private readonly DtNode _node;
        private readonly bool _v2;
        private AssociativityLookupArrays? _lookup;

        public LmbTable(DtNode node)
        {
            _node = node;
            LmbSize = Core.Formats.Memory.LmbSize.Read((node.GetProperty(Core.Formats.Memory.LmbSize.PropertyName)
                ?? throw new KernelException(Errno.EINVAL, "drconf node lacks ibm,lmb-size")).Value);
            if (node.GetProperty(DynamicMemoryV2.PropertyName) is { } v2)
            {
                _v2 = true;
                Lmbs = DynamicMemoryV2.Expand(DynamicMemoryV2.Read(v2.Value), LmbSize);
            }
            else
            {
                Lmbs = DynamicMemoryV1.Read((node.GetProperty(DynamicMemoryV1.PropertyName)
                    ?? throw new KernelException(Errno.EINVAL, "drconf node lacks ibm,dynamic-memory")).Value);
            }

            _lookup = node.GetProperty(AssociativityLookupArrays.PropertyName) is { } aa ? AssociativityLookupArrays.Read(aa.Value) : null;
            _index = new Dictionary<uint, int>(Lmbs.Length);
            for (int i = 0; i < Lmbs.Length; i++)
            {
                if ((Lmbs[i].Flags & LmbFlags.DrcInvalid) == 0)
                {
                    _index.TryAdd(Lmbs[i].DrcIndex, i);
                }
            }
        }

        private readonly Dictionary<uint, int> _index;

        public ulong LmbSize { get; }

        public DynamicMemoryLmb[] Lmbs { get; }

        public int? Find(uint drcIndex) => _index.TryGetValue(drcIndex, out int i) ? i : null;

        /// <summary>The lookup-array index of an associativity, appending it when new (as Linux updates the property).</summary>
        public uint AssociativityIndex(uint[] associativity)
        {
            if (associativity.Length == 0)
            {
                return 0xFFFFFFFF;
            }

            // ibm,associativity starts with its own length; the lookup arrays hold the entries after it.
            uint[] entries = associativity[1..];
            _lookup ??= new AssociativityLookupArrays(entries.Length, []);
            int found = _lookup.IndexOf(entries);
            if (found >= 0)
            {
                return (uint)found;
            }

            if (entries.Length != _lookup.EntriesPerList)
            {
                return 0xFFFFFFFF;
            }

            _lookup = new AssociativityLookupArrays(_lookup.EntriesPerList, Enumerable.Range(0,
                _lookup.Count).Select(i => _lookup[i].ToArray()).Append(entries));
            return (uint)(_lookup.Count - 1);
        }

        public void Write()
        {
            _node.SetProperty(_v2
                ? new DtProperty(DynamicMemoryV2.PropertyName, DynamicMemoryV2.Write(DynamicMemoryV2.Compress(Lmbs, LmbSize)))
                : new DtProperty(DynamicMemoryV1.PropertyName, DynamicMemoryV1.Write(Lmbs)));
            if (_lookup is not null)
            {
                _node.SetProperty(new DtProperty(AssociativityLookupArrays.PropertyName, _lookup.Write()));
            }
        }
    }
}
