using System.Globalization;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Memory;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>
/// Memory add and remove. When the kernel offers memory DLPAR the request goes to it whole (all or
/// nothing by count), except a removal by count: that goes one LMB at a time, NUMA-balanced as
/// drmgr chooses, and what went stays removed. Otherwise the agent does it: per LMB acquire, configure-connector,
/// probe and online the memory blocks (the mirror image to remove), then records the LMB table in
/// <c>ibm,dynamic-memory[-v2]</c> once; by count it is all or nothing too, removal in random order.
/// </summary>
internal sealed class MemoryHandler : IResourceHandler
{
    private const string DrconfPath = "/ibm,dynamic-reconfiguration-memory";

    public DlparResult Run(OperationContext context)
    {
        PartitionView view = context.View;

        // The kernel's memory DLPAR works on the drconf LMB table; without one (no CAS) the agent does it.
        KernelDlparCapabilities dlpar = context.Kernel.ReadDlparCapabilities();
        if (dlpar.Memory && view.Memory is not null)
        {
            return ViaKernel(context, view);
        }

        // Seen on Linux 6.1: memory added behind the kernel's LMB table cannot be removed by it, and a
        // removal behind it leaves the sections in the kernel while the firmware takes the memory back.
        if (dlpar.MemoryWithheld && view.Memory is not null)
        {
            throw new DlparException("this kernel keeps its own LMB table (memory is in /sys/kernel/dlpar, which the agent was told not to use); " +
                "changing LMBs behind it would leave the kernel and the firmware out of step");
        }

        var table = LmbSet.Read(view, context.Kernel);
        return InUserspace(context, view, table);
    }

    public string Settle(OperationContext context, uint index, DlparAction action)
    {
        if (index == 0)
        {
            return "the kernel settles its own requests";
        }


        PartitionView view = context.RefreshView();
        var table = LmbSet.Read(view, context.Kernel);
        int i = table.Find(index) ?? throw new DlparException(string.Create(CultureInfo.InvariantCulture, $"LMB 0x{index:x8} is no longer described"));
        uint sense = context.Dr.Sense(index);
        if (action == DlparAction.Remove && sense == DrIndicators.SensePresent)
        {
            context.Dr.Reconfigure(index);
            table.SetBlocks(i, online: true);
            table.Mark(i, assigned: true, table.Lmbs[i].AssociativityIndex);
            table.Write();
            return "kept";
        }

        table.SetBlocks(i, online: false);
        table.Mark(i, assigned: false, 0xFFFFFFFF);
        table.Write();
        if (sense == DrIndicators.SensePresent)
        {
            context.Dr.Release(index);
        }

        return "released";
    }

    /// <summary>An LMB whose add finished before a crash: the firmware gives it and all its memory blocks are online.</summary>
    public bool IsComplete(OperationContext context, uint index, DlparAction action)
    {
        if (index == 0 || action != DlparAction.Add)
        {
            return false;
        }

        var table = LmbSet.Read(context.RefreshView(), context.Kernel);
        return table.Find(index) is { } i && table.BlocksOnline(i) && context.Dr.Sense(index) == DrIndicators.SensePresent;
    }

    /// <summary>
    /// The userspace path records the LMB table once per operation, so after a crash it may lag:
    /// an LMB is assigned exactly when all its memory blocks are present and online.
    /// </summary>
    public void FinishRecovery(OperationContext context)
    {
        PartitionView view = context.RefreshView();
        if (context.Kernel.ReadDlparCapabilities().Memory && view.Memory is not null)
        {
            return;
        }

        var table = LmbSet.Read(view, context.Kernel);
        table.Resynchronize();
        table.Write();
    }

    private static DlparResult ViaKernel(OperationContext context, PartitionView view)
    {
        DlparRequest request = context.Request;
        HashSet<uint> before = Assigned(view);
        uint Resolve(DlparTarget target) => target switch
        {
            DlparTarget.ByIndex index => view.Memory?.Lmbs.Any(l => l.DrcIndex == index.Index && l.IsDynamic) == true ? index.Index
                : throw new DlparException(string.Create(CultureInfo.InvariantCulture, $"there is no LMB connector with index 0x{index.Index:x8}")),
            DlparTarget.ByName name => view.Catalog.TryGetByName(name.Name, out DrcConnector c, out _) && c.Type == "MEM" ? c.Index
                : throw new DlparException($"there is no memory connector named \"{name.Name}\""),
            _ => 0,
        };

        (string command, int requested) = request.Target switch
        {
            DlparTarget.ByCount count => ($"count {count.Count}", (int)Math.Min(count.Count, int.MaxValue)),
            DlparTarget.ByIndexedCount range => (string.Create(CultureInfo.InvariantCulture,
                $"indexed-count {range.Count} 0x{Resolve(new DlparTarget.ByIndex(range.FirstIndex)):x}"), NeedingChange(view, range, request.Action)),
            _ => (string.Create(CultureInfo.InvariantCulture, $"index 0x{Resolve(request.Target):x}"), 1),
        };
        command = $"memory {(request.Action == DlparAction.Add ? "add" : "remove")} {command}";

        string? error = null;
        string? journalError = null;
        bool interrupted = false;
        var refused = new List<ConnectorOutcome>();
        context.Journal.Connector(0, request.Action);
        if (request is { Action: DlparAction.Remove, Target: DlparTarget.ByCount })
        {
            (int removed, interrupted) = RemoveBalanced(context, view, requested, refused);
            if (interrupted)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"interrupted after {removed} of {requested} LMBs were removed");
            }
            else if (removed < requested)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"only {removed} of {requested} LMBs could be removed");
            }
        }
        else
        {
            try
            {
                context.Kernel.WriteDlpar(command);
                context.Journal.Step(0, "kernel " + command);
            }
            catch (KernelException failure)
            {
                error = failure.Message;
            }
        }

        // The kernel changed the tree: only the LMB table is read again (not the whole connector catalog).
        HashSet<uint> after = Assigned(DynamicReconfigurationMemory.FromTree(context.Kernel.ReadDeviceTree()));

        // Linux ignores a refused release and its undo can leave connectors unisolated: give back
        // what the firmware still lends but the OS no longer uses, and after a failure make sure
        // what it uses is configured (a request the kernel completed configured every LMB itself).
        var keptByPlatform = new List<ConnectorOutcome>();
        foreach (uint index in view.Memory?.Lmbs.Where(l => l.IsDynamic && !after.Contains(l.DrcIndex)).Select(l => l.DrcIndex) ?? [])
        {
            if (context.Dr.ReconcileAfterKernel(index, usedByOs: false) && before.Contains(index))
            {
                keptByPlatform.Add(AddBackKept(context, view, index));
            }
        }

        after = keptByPlatform.Count == 0 ? after : Assigned(DynamicReconfigurationMemory.FromTree(context.Kernel.ReadDeviceTree()));

        foreach (uint index in error is null ? [] : after.Except(before))
        {
            context.Dr.ReconcileAfterKernel(index, usedByOs: true);
        }

        try
        {
            context.Journal.Settled(0, error is null ? "done" : "refused");
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // The kernel's work is done and stays; the open record lets the next recovery confirm it.
            journalError = $"the journal could not record it ({IoFailures.Describe(failure)}); the next operation or 'dlpar recover' settles it";
        }

        HashSet<uint> kept = [.. keptByPlatform.Select(k => k.Index)];
        ConnectorOutcome[] outcomes = [.. before.Except(after).Concat(after.Except(before)).Where(i => !kept.Contains(i)).Order().Select(i =>
            new ConnectorOutcome(i, NameOf(view, i), OutcomeKind.Done, string.Empty)), .. refused.Where(r => after.Contains(r.Index)), .. keptByPlatform];
        int changed = outcomes.Count(o => o.Kind == OutcomeKind.Done);
        if (keptByPlatform.Count > 0)
        {
            string also = error is null ? string.Empty : "; " + error;
            error = string.Create(CultureInfo.InvariantCulture,
                $"{keptByPlatform.Count} LMBs the kernel removed were kept by the platform (no unplug was requested){also}");
        }
        else if (error is null && changed != requested)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"the kernel changed {changed} LMBs for a request of {requested}");
        }

        if (journalError is not null)
        {
            error = error is null ? journalError : error + "; " + journalError;
        }

        return new DlparResult(request, requested, outcomes, DlparMechanism.Kernel, error) { Interrupted = interrupted };
    }

    /// <summary>
    /// An LMB the kernel removed but the platform would not take back (QEMU isolates only LMBs of a
    /// DIMM being unplugged): it is offered to the kernel again, and reported as not removed either
    /// way. Linux cannot re-add it while the platform still lends it (its acquire wants an unusable
    /// connector): it then stays lent and unused until the platform's own unplug takes it, which
    /// the next memory operation or event completes.
    /// </summary>
    private static ConnectorOutcome AddBackKept(OperationContext context, PartitionView view, uint index)
    {
        string command = string.Create(CultureInfo.InvariantCulture, $"memory add index 0x{index:x}");
        try
        {
            context.Kernel.WriteDlpar(command);
            context.Journal.Step(0, "kernel " + command);
            return new ConnectorOutcome(index, NameOf(view, index), OutcomeKind.Failed,
                "the platform would not take it back (no unplug was requested), so it was added back");
        }
        catch (KernelException failure)
        {
            return new ConnectorOutcome(index, NameOf(view, index), OutcomeKind.Failed,
                $"the platform would not take it back (no unplug was requested) and the kernel would not add it back ({failure.Message}): " +
                    "it stays lent to the partition, unused, until the platform's unplug takes it", Errno: failure.Errno);
        }
    }

    /// <summary>
    /// As drmgr does: one <c>memory remove index</c> per LMB, chosen by node; what the kernel removed
    /// stays removed, also when a signal or the time limit stops the removal between two LMBs.
    /// </summary>
    private static (int Removed, bool Interrupted) RemoveBalanced(OperationContext context, PartitionView view, int requested,
        List<ConnectorOutcome> refused)
    {
        var numa = NumaTopology.Read(view.Tree, view.Memory);
        var removal = new NumaBalancedRemoval(view.Memory!.Lmbs.Where(l => l.IsAssigned && l.IsDynamic).Select(l => (l.DrcIndex, numa.NodeOf(l))),
            numa.CpusPerNode);
        int removed = 0;
        try
        {
            removal.Remove(requested, index =>
            {
                context.CheckDeadline();
                string one = string.Create(CultureInfo.InvariantCulture, $"memory remove index 0x{index:x}");
                try
                {
                    context.Kernel.WriteDlpar(one);
                    context.Journal.Step(0, "kernel " + one);
                    removed++;
                    return true;
                }
                catch (KernelException failure)
                {
                    refused.Add(new ConnectorOutcome(index, NameOf(view, index), OutcomeKind.Failed, failure.Message, Errno: failure.Errno));
                    return false;
                }
            });
            return (removed, false);
        }
        catch (Exception stop) when (stop is OperationCanceledException or TimeoutException)
        {
            return (removed, true);
        }
    }

    private static DlparResult InUserspace(OperationContext context, PartitionView view, LmbSet table)
    {
        DlparRequest request = context.Request;
        bool add = request.Action == DlparAction.Add;
        int[] candidates = Candidates(context, view, table, add, out int requested);
        var plan = new ConnectorPlan([.. candidates.Select(i => table.Lmbs[i].DrcIndex)], requested)
        {
            Noun = "LMBs",
            SkipFailures = request.Target is DlparTarget.ByCount,
            AllOrNothing = true,
            Grouped = true,
        };
        var loop = new ConnectorLoop(context, plan, (index, direction) =>
        {
            int i = table.Find(index)!.Value;
            return direction == DlparAction.Add ? AddOne(context, table, i) : RemoveOne(context, table, i);
        });
        string? error = loop.Run();
        try
        {
            table.Write();
        }
        catch (KernelException failure) when (loop.Done.Count > 0)
        {
            // The tree still holds the table as it was: undoing the LMBs makes the two agree again.
            error = "recording the LMB table in the device tree failed: " + failure.Message;
            loop.RollBack();
            try
            {
                table.Write();
            }
            catch (KernelException again)
            {
                error += "; writing it back also failed: " + again.Message;
            }
        }
        catch (KernelException)
        {
            // Nothing was done, and the tree still holds the table as it was.
        }

        return new DlparResult(request, requested, loop.Outcomes, DlparMechanism.Userspace, error) { Interrupted = loop.Interrupted };
    }

    private static int[] Candidates(OperationContext context, PartitionView view, LmbSet table, bool add, out int requested)
    {
        DlparRequest request = context.Request;
        switch (request.Target)
        {
            case DlparTarget.ByCount count:
                requested = (int)Math.Min(count.Count, int.MaxValue);
                if (add)
                {
                    return [.. Enumerable.Range(0,
                        table.Lmbs.Length).Where(i => (table.Lmbs[i].Flags & (LmbFlags.Assigned | LmbFlags.Reserved | LmbFlags.DrcInvalid)) == 0)];
                }

                int[] removable = [.. Enumerable.Range(0, table.Lmbs.Length).Where(table.IsRemovable)];
                if (removable.Length < requested)
                {
                    throw new DlparException(string.Create(CultureInfo.InvariantCulture,
                        $"There is not enough removable memory: {removable.Length} LMBs can be removed, {requested} requested"));
                }

                var random = context.Options.RandomSeed is { } seed ? new Random(seed) : new Random();
                random.Shuffle(removable);
                return NumaBalanced(removable, table);
            case DlparTarget.ByIndexedCount range:
                int first = table.Find(range.FirstIndex) ?? throw Missing(range.FirstIndex);
                if ((long)first + range.Count > table.Lmbs.Length)
                {
                    throw new DlparException(string.Create(CultureInfo.InvariantCulture,
                        $"{range.Count} LMBs from 0x{range.FirstIndex:x8} run past the LMB table"));
                }

                // As the kernel does: LMBs of the range already in the wanted state are skipped.
                int[] span = [.. Enumerable.Range(first, (int)range.Count).Where(i => table.Lmbs[i].IsAssigned != add)];
                foreach (int i in span)
                {
                    Check(table, i, add);
                }

                requested = span.Length;
                return span;
            default:
                uint index = request.Target switch
                {
                    DlparTarget.ByIndex byIndex => byIndex.Index,
                    DlparTarget.ByName name => view.Catalog.TryGetByName(name.Name, out DrcConnector c, out _) && c.Type == "MEM" ? c.Index
                        : throw new DlparException($"there is no memory connector named \"{name.Name}\""),
                    _ => throw new DlparException("unsupported target"),
                };
                int at = table.Find(index) ?? throw Missing(index);
                Check(table, at, add);
                requested = 1;
                return [at];
        }
    }

    /// <summary>
    /// Spreads a removal over NUMA nodes in proportion to each node's share of the candidates, as
    /// drmgr's NUMA-balanced removal does: any prefix of the order takes from every node fairly.
    /// Within a node the order stays random.
    /// </summary>
    private static int[] NumaBalanced(int[] shuffled, LmbSet table)
    {
        IGrouping<uint, int>[] nodes = [.. shuffled.GroupBy(i => table.Lmbs[i].AssociativityIndex)];
        if (nodes.Length < 2)
        {
            return shuffled;
        }

        return [.. nodes
            .SelectMany(node => node.Select((lmb, rank) => (Lmb: lmb, Key: (rank + 0.5) / node.Count())))
            .OrderBy(p => p.Key)
            .Select(p => p.Lmb)];
    }

    private static void Check(LmbSet table, int i, bool add)
    {
        DynamicMemoryLmb lmb = table.Lmbs[i];
        if (add && lmb.IsAssigned)
        {
            throw new DlparException(string.Create(CultureInfo.InvariantCulture, $"LMB 0x{lmb.DrcIndex:x8} is already assigned to the partition"));
        }

        if (!add && !table.IsRemovable(i))
        {
            throw new DlparException(string.Create(CultureInfo.InvariantCulture, $"LMB 0x{lmb.DrcIndex:x8} is not assigned or not removable"));
        }
    }

    private static DlparException Missing(uint index) =>
        new(string.Create(CultureInfo.InvariantCulture, $"there is no LMB connector with index 0x{index:x8}"));

    private static ConnectorOutcome AddOne(OperationContext context, LmbSet table, int i)
    {
        DynamicMemoryLmb lmb = table.Lmbs[i];
        string name = table.NameOf(lmb.DrcIndex);
        try
        {
            context.Dr.Acquire(lmb.DrcIndex);
            context.Journal.Step(lmb.DrcIndex, "acquired");
            try
            {
                DtNode fragment = DrSequences.ReadConfiguredNode(() => context.Dr.ConfigureConnector(lmb.DrcIndex), lmb.DrcIndex);
                uint aaIndex = table.AssociativityIndex(fragment.GetProperty("ibm,associativity")?.AsCells() ?? []);
                table.Attach(i, fragment);
                try
                {
                    table.SetBlocks(i, online: true);
                }
                catch (KernelException)
                {
                    table.SetBlocks(i, online: false);
                    table.Detach(i);
                    throw;
                }

                table.Mark(i, assigned: true, aaIndex);
            }
            catch (Exception error) when (error is RtasCallException or KernelException)
            {
                context.Dr.Release(lmb.DrcIndex);
                throw;
            }

            context.Journal.Step(lmb.DrcIndex, "online");
            return new ConnectorOutcome(lmb.DrcIndex, name, OutcomeKind.Done, string.Empty);
        }
        catch (RtasCallException error)
        {
            return new ConnectorOutcome(lmb.DrcIndex, name, OutcomeKind.Failed, error.Message, error.Status);
        }
        catch (KernelException error)
        {
            return new ConnectorOutcome(lmb.DrcIndex, name, OutcomeKind.Failed, error.Message, Errno: error.Errno);
        }
    }

    private static ConnectorOutcome RemoveOne(OperationContext context, LmbSet table, int i)
    {
        DynamicMemoryLmb lmb = table.Lmbs[i];
        string name = table.NameOf(lmb.DrcIndex);
        try
        {
            try
            {
                table.SetBlocks(i, online: false);
            }
            catch (KernelException)
            {
                table.SetBlocks(i, online: true);
                throw;
            }

            context.Journal.Step(lmb.DrcIndex, "offline");
            try
            {
                context.Dr.Release(lmb.DrcIndex);
            }
            catch (RtasCallException)
            {
                table.SetBlocks(i, online: true);
                throw;
            }

            context.Journal.Step(lmb.DrcIndex, "released");
            table.Detach(i);
            table.Mark(i, assigned: false, 0xFFFFFFFF);
            return new ConnectorOutcome(lmb.DrcIndex, name, OutcomeKind.Done, string.Empty);
        }
        catch (RtasCallException error)
        {
            return new ConnectorOutcome(lmb.DrcIndex, name, OutcomeKind.Failed, error.Message, error.Status);
        }
        catch (KernelException error)
        {
            return new ConnectorOutcome(lmb.DrcIndex, name, OutcomeKind.Failed, error.Message, Errno: error.Errno);
        }
    }

    /// <summary>The kernel skips LMBs of an indexed range already in the wanted state; they are not part of the request.</summary>
    private static int NeedingChange(PartitionView view, DlparTarget.ByIndexedCount range, DlparAction action)
    {
        IReadOnlyList<DynamicMemoryLmb> lmbs = view.Memory!.Lmbs;
        int first = lmbs.Select((l, i) => (l, i)).First(p => p.l.DrcIndex == range.FirstIndex && p.l.IsDynamic).i;
        return lmbs.Skip(first).Take((int)range.Count).Count(l => l.IsAssigned != (action == DlparAction.Add));
    }

    private static HashSet<uint> Assigned(PartitionView view) => Assigned(view.Memory);

    private static HashSet<uint> Assigned(DynamicReconfigurationMemory? memory) => [.. memory?.Lmbs.Where(l => l.IsAssigned && l.IsDynamic).Select(l =>
        l.DrcIndex) ?? []];

    private static string NameOf(PartitionView view, uint index) =>
        view.Catalog.TryGetByIndex(index, out DrcConnector c, out _) ? c.Name : string.Create(CultureInfo.InvariantCulture, $"0x{index:x8}");

    /// <summary>
    /// The partition's LMBs as the agent tracks them during an operation: from the drconf node
    /// (written back once, in the form it was read) or from the old layout's <c>memory@</c> nodes.
    /// </summary>
    private sealed class LmbSet
    {
        private readonly IGuestKernel _kernel;
        private readonly PartitionView _view;
        private readonly Dictionary<uint, int> _byIndex = [];
        private readonly bool _drconf;
        private readonly bool _v2;
        private AssociativityLookupArrays? _lookup;
        private bool _changed;

        // The kernel's memory blocks, read once and kept current by this set's own changes.
        private Dictionary<int, MemoryBlock>? _blocks;

        private LmbSet(IGuestKernel kernel, PartitionView view, DynamicMemoryLmb[] lmbs, ulong lmbSize, bool drconf, bool v2)
        {
            _kernel = kernel;
            _view = view;
            Lmbs = lmbs;
            LmbSize = lmbSize;
            _drconf = drconf;
            _v2 = v2;
            _lookup = view.Memory?.AssociativityLookup;
            for (int i = 0; i < lmbs.Length; i++)
            {
                if ((lmbs[i].Flags & LmbFlags.DrcInvalid) == 0)
                {
                    _byIndex.TryAdd(lmbs[i].DrcIndex, i);
                }
            }
        }

        public DynamicMemoryLmb[] Lmbs { get; }

        public ulong LmbSize { get; }

        public static LmbSet Read(PartitionView view, IGuestKernel kernel)
        {
            if (view.Memory is { } memory)
            {
                return new LmbSet(kernel, view, [.. memory.Lmbs], memory.LmbSize, drconf: true, v2: memory.Version == 2);
            }

            // The old layout: LMB connectors in the root's DRC properties, owned ones as /memory@addr nodes.
            ulong lmbSize = kernel.ReadMemoryBlockSize();
            var lmbs = new List<DynamicMemoryLmb>();
            foreach (DrcConnector connector in view.Catalog.Containers.Where(c => c.Path == "/").SelectMany(c => c.Connectors).Where(c => c.Type == "MEM"))
            {
                DtNode? node = view.OwnedNode("/", connector.Index);
                ulong address = node?.GetProperty("reg") is { Length: 16 } reg ? ((ulong)reg.AsCells()[0] << 32) | reg.AsCells()[1] : 0;
                lmbs.Add(new DynamicMemoryLmb(address, connector.Index, 0, 0xFFFFFFFF, node is null ? LmbFlags.None : LmbFlags.Assigned));
            }

            return new LmbSet(kernel, view, [.. lmbs], lmbSize, drconf: false, v2: false);
        }

        public int? Find(uint index) => _byIndex.TryGetValue(index, out int i) ? i : null;

        public string NameOf(uint index) => MemoryHandler.NameOf(_view, index);

        public bool IsRemovable(int i)
        {
            DynamicMemoryLmb lmb = Lmbs[i];
            if ((lmb.Flags & (LmbFlags.Assigned | LmbFlags.Reserved | LmbFlags.DrcInvalid)) != LmbFlags.Assigned)
            {
                return false;
            }

            Dictionary<int, MemoryBlock> blocks = BlockMap();
            return Blocks(lmb).All(b => blocks.TryGetValue(b, out MemoryBlock block) && block.Removable && block.Online);
        }

        /// <summary>Whether every memory block of the LMB is present and online.</summary>
        public bool BlocksOnline(int i)
        {
            Dictionary<int, MemoryBlock> blocks = BlockMap();
            return Blocks(Lmbs[i]).All(b => blocks.TryGetValue(b, out MemoryBlock block) && block.Online);
        }

        /// <summary>Probes (when absent) and onlines, or offlines, the memory blocks of an LMB.</summary>
        public void SetBlocks(int i, bool online)
        {
            Dictionary<int, MemoryBlock> blocks = BlockMap();
            ulong blockSize = _kernel.ReadMemoryBlockSize();
            foreach (int block in Blocks(Lmbs[i]))
            {
                if (!blocks.TryGetValue(block, out MemoryBlock current))
                {
                    if (!online)
                    {
                        continue;
                    }

                    _kernel.ProbeMemory((ulong)block * blockSize);
                    current = new MemoryBlock(block, false, true);
                    blocks[block] = current;
                }

                if (current.Online != online)
                {
                    _kernel.SetMemoryBlockOnline(block, online);
                    blocks[block] = current with { Online = online };
                }
            }
        }

        /// <summary>Old layout: adds the LMB's node (drconf memory needs no node).</summary>
        public void Attach(int i, DtNode fragment)
        {
            if (_drconf)
            {
                return;
            }

            if (!fragment.HasProperty("ibm,my-drc-index"))
            {
                fragment.AddProperty(DtProperty.FromUInt32("ibm,my-drc-index", Lmbs[i].DrcIndex));
            }

            TreeEdits.Attach(_kernel, "/", fragment);
            if (fragment.GetProperty("reg") is { Length: 16 } reg)
            {
                uint[] cells = reg.AsCells();
                Lmbs[i] = Lmbs[i] with { BaseAddress = ((ulong)cells[0] << 32) | cells[1] };
            }
        }

        public void Detach(int i)
        {
            // Old layout: the node may have been attached by this operation, so the tree is read again.
            if (!_drconf && PartitionView.Read(_kernel).OwnedNode("/", Lmbs[i].DrcIndex) is { } node)
            {
                TreeEdits.Detach(_kernel, node);
            }
        }

        public void Mark(int i, bool assigned, uint aaIndex)
        {
            LmbFlags flags = assigned ? Lmbs[i].Flags | LmbFlags.Assigned : Lmbs[i].Flags & ~LmbFlags.Assigned;
            Lmbs[i] = Lmbs[i] with { Flags = flags, AssociativityIndex = aaIndex };
            _changed = true;
        }

        public uint AssociativityIndex(uint[] associativity)
        {
            if (associativity.Length < 2 || _lookup is null)
            {
                return 0xFFFFFFFF;
            }

            uint[] entries = associativity[1..];
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
                _lookup.Count).Select(k => _lookup[k].ToArray()).Append(entries));
            _changed = true;
            return (uint)(_lookup.Count - 1);
        }

        public void Resynchronize()
        {
            Dictionary<int, MemoryBlock> blocks = BlockMap();
            for (int i = 0; i < Lmbs.Length; i++)
            {
                if ((Lmbs[i].Flags & (LmbFlags.DrcInvalid | LmbFlags.Reserved)) != 0)
                {
                    continue;
                }

                bool online = Blocks(Lmbs[i]).All(b => blocks.TryGetValue(b, out MemoryBlock block) && block.Online);
                if (online != Lmbs[i].IsAssigned)
                {
                    Mark(i, online, online ? Lmbs[i].AssociativityIndex : 0xFFFFFFFF);
                }
            }
        }

        /// <summary>Records the table in the drconf node through ofdt, once per operation.</summary>
        public void Write()
        {
            if (!_drconf || !_changed)
            {
                return;
            }

            // The drconf node and its phandle do not change during an operation: the view read at its start holds them.
            uint phandle = _view.Tree.Find(DrconfPath)?.Phandle
                ?? throw new KernelException(Errno.ENODEV, $"{DrconfPath} has no phandle to update");
            // The lookup arrays first: should the table's write then fail, an extra list is harmless.
            if (_lookup is not null)
            {
                _kernel.WriteOfdt(new OfdtCommand.UpdateProperty(phandle, new OfdtProperty(AssociativityLookupArrays.PropertyName, _lookup.Write())));
            }

            byte[] value = _v2 ? DynamicMemoryV2.Write(DynamicMemoryV2.Compress(Lmbs, LmbSize)) : DynamicMemoryV1.Write(Lmbs);
            _kernel.WriteOfdt(new OfdtCommand.UpdateProperty(phandle, new OfdtProperty(_v2 ? DynamicMemoryV2.PropertyName : DynamicMemoryV1.PropertyName,
                value)));

            _changed = false;
        }

        private Dictionary<int, MemoryBlock> BlockMap() => _blocks ??= _kernel.ReadMemoryBlocks().ToDictionary(b => b.Number);

        private IEnumerable<int> Blocks(DynamicMemoryLmb lmb)
        {
            ulong blockSize = _kernel.ReadMemoryBlockSize();
            for (ulong offset = 0; offset < LmbSize; offset += blockSize)
            {
                yield return (int)((lmb.BaseAddress + offset) / blockSize);
            }
        }
    }
}
