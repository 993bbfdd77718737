using System.Globalization;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>
/// CPU add and remove (drmgr <c>drslot_chrp_cpu.c</c>; Linux <c>hotplug-cpu.c</c>): by the kernel's
/// <c>cpu add|remove index</c> when it offers CPU DLPAR, else by the old probe/release files, else
/// in userspace (acquire, configure-connector, attach, online every SMT thread, and the mirror
/// image). By count, failed candidates are skipped and the last CPU is kept.
/// </summary>
internal sealed class CpuHandler : IResourceHandler
{
    private const string CpusPath = "/cpus";

    public DlparResult Run(OperationContext context)
    {
        DlparRequest request = context.Request;
        PartitionView view = context.View;
        DrcConnector[] connectors = [.. view.Catalog.Containers.Where(c => c.Path == CpusPath).SelectMany(c => c.Connectors).Where(c => c.Type == "CPU")];
        if (connectors.Length == 0)
        {
            throw new DlparException("the device tree describes no CPU connectors under /cpus");
        }

        bool add = request.Action == DlparAction.Add;
        bool Owned(DrcConnector c) => view.OwnedNode(CpusPath, c.Index) is not null;
        // By count, removal starts at the highest DRC index and never reaches the lowest owned one (the
        // boot CPU on every platform seen; the tree's order is not the index order after a re-add).
        DrcConnector[] candidates = request.Target switch
        {
            DlparTarget.ByCount => add ? [.. connectors.Where(c => !Owned(c))] : [.. connectors.Where(Owned).OrderByDescending(c => c.Index).SkipLast(1)],
            DlparTarget.ByIndex or DlparTarget.ByName => [Single(connectors, request.Target, add, Owned)],
            _ => throw new DlparException("cpu takes a count, an index or a name"),
        };
        int requested = request.Target is DlparTarget.ByCount count ? (int)Math.Min(count.Count, int.MaxValue) : 1;
        if (!add && connectors.Count(Owned) is var owned && owned <= 1)
        {
            throw new DlparException(string.Create(CultureInfo.InvariantCulture, $"Cannot remove the last CPU: {requested} requested, {owned} present"));
        }

        bool inKernel = context.Kernel.ReadDlparCapabilities().Cpu;
        DlparMechanism path = inKernel ? DlparMechanism.Kernel : context.Kernel.HasCpuProbe() ? DlparMechanism.ProbeFiles : DlparMechanism.Userspace;
        Dictionary<uint, DrcConnector> byIndex = candidates.ToDictionary(c => c.Index);
        var plan = new ConnectorPlan([.. candidates.Select(c => c.Index)], requested) { Noun = "CPUs", SkipFailures = request.Target is DlparTarget.ByCount };
        var loop = new ConnectorLoop(context, plan, (index, direction) =>
        {
            DrcConnector cpu = byIndex[index];
            return inKernel ? ViaKernel(context, cpu, add) : add ? AddInUserspace(context, view, cpu) : RemoveInUserspace(context, view, cpu);
        })
        {
            // The kernel's own undo can leave a connector unisolated, or acquired and unused.
            AfterEach = inKernel || context.Kernel.HasCpuProbe()
                ? index => context.Dr.ReconcileAfterKernel(index, context.RefreshView().OwnedNode(CpusPath, index) is not null)
                : null,
        };
        string? error = loop.Run();
        if (!add && !loop.Interrupted && loop.Done.Count < requested && loop.Done.Count == candidates.Length)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Cannot remove the last CPU: {loop.Done.Count} of {requested} removed");
        }

        IReadOnlyList<ConnectorOutcome> outcomes = loop.Outcomes;
        return new DlparResult(request, requested, outcomes, path, error) { Interrupted = loop.Interrupted };
    }

    public string Settle(OperationContext context, uint index, DlparAction action)
    {
        PartitionView view = context.RefreshView();
        DtNode? node = view.OwnedNode(CpusPath, index);
        uint sense = context.Dr.Sense(index);
        if (action == DlparAction.Add || node is null || sense != DrIndicators.SensePresent)
        {
            // Roll an add back, or finish a remove the firmware or the tree already saw through.
            if (node is not null)
            {
                SetThreads(context.Kernel, node, online: false);
                TreeEdits.Detach(context.Kernel, node);
            }

            if (sense == DrIndicators.SensePresent)
            {
                context.Dr.Release(index);
            }

            return "released";
        }

        // A remove that had not yet released the connector: the CPU stays.
        context.Dr.Reconfigure(index);
        SetThreads(context.Kernel, node, online: true);
        return "kept";
    }

    public void FinishRecovery(OperationContext context)
    {
        // CPU state lives in the nodes and threads that Settle already put right.
    }

    private static DrcConnector Single(DrcConnector[] connectors, DlparTarget target, bool add, Func<DrcConnector, bool> owned)
    {
        DrcConnector cpu = target switch
        {
            DlparTarget.ByIndex index => connectors.FirstOrDefault(c => c.Index == index.Index)
                ?? throw new DlparException(string.Create(CultureInfo.InvariantCulture, $"there is no CPU connector with index 0x{index.Index:x8}")),
            DlparTarget.ByName name => connectors.FirstOrDefault(c => c.Name == name.Name)
                ?? throw new DlparException($"there is no CPU connector named \"{name.Name}\""),
            _ => throw new DlparException("unsupported target"),
        };
        if (owned(cpu) == add)
        {
            throw new DlparException(string.Create(CultureInfo.InvariantCulture,
                $"{cpu.Name} (0x{cpu.Index:x8}) is {(add ? "already present" : "not present")}"));
        }

        return cpu;
    }

    private static ConnectorOutcome ViaKernel(OperationContext context, DrcConnector cpu, bool add)
    {
        string command = string.Create(CultureInfo.InvariantCulture, $"cpu {(add ? "add" : "remove")} index 0x{cpu.Index:x}");
        try
        {
            context.Kernel.WriteDlpar(command);
            context.Journal.Step(cpu.Index, "kernel " + command);
            return new ConnectorOutcome(cpu.Index, cpu.Name, OutcomeKind.Done, string.Empty);
        }
        catch (KernelException error)
        {
            return new ConnectorOutcome(cpu.Index, cpu.Name, OutcomeKind.Failed, error.Message, Errno: error.Errno);
        }
    }

    private static ConnectorOutcome AddInUserspace(OperationContext context, PartitionView view, DrcConnector cpu)
    {
        IGuestKernel kernel = context.Kernel;
        try
        {
            if (kernel.HasCpuProbe())
            {
                kernel.ProbeCpu(cpu.Index);
            }
            else
            {
                context.Dr.Acquire(cpu.Index);
                context.Journal.Step(cpu.Index, "acquired");
                try
                {
                    DtNode node = DrSequences.ReadConfiguredNode(() => context.Dr.ConfigureConnector(cpu.Index), cpu.Index);
                    TreeEdits.Attach(kernel, CpusPath, node);
                }
                catch (Exception error) when (error is RtasCallException or KernelException)
                {
                    context.Dr.Release(cpu.Index);
                    throw;
                }
            }

            context.Journal.Step(cpu.Index, "attached");
            DtNode attached = PartitionView.Read(kernel).OwnedNode(CpusPath, cpu.Index)
                ?? throw new KernelException(Errno.ENODEV, $"{cpu.Name} did not appear under /cpus");
            try
            {
                SetThreads(kernel, attached, online: true);
            }
            catch (KernelException)
            {
                SetThreads(kernel, attached, online: false);
                Unconfigure(context, attached, cpu.Index);
                throw;
            }

            return new ConnectorOutcome(cpu.Index, cpu.Name, OutcomeKind.Done, string.Empty);
        }
        catch (RtasCallException error)
        {
            return new ConnectorOutcome(cpu.Index, cpu.Name, OutcomeKind.Failed, error.Message, error.Status);
        }
        catch (KernelException error)
        {
            return new ConnectorOutcome(cpu.Index, cpu.Name, OutcomeKind.Failed, error.Message, Errno: error.Errno);
        }
    }

    private static ConnectorOutcome RemoveInUserspace(OperationContext context, PartitionView view, DrcConnector cpu)
    {
        IGuestKernel kernel = context.Kernel;
        DtNode node = view.OwnedNode(CpusPath, cpu.Index)!;
        try
        {
            try
            {
                SetThreads(kernel, node, online: false);
            }
            catch (KernelException)
            {
                SetThreads(kernel, node, online: true);
                throw;
            }

            context.Journal.Step(cpu.Index, "offline");
            try
            {
                Unconfigure(context, node, cpu.Index);
            }
            catch (Exception error) when (error is RtasCallException or KernelException)
            {
                SetThreads(kernel, node, online: true);
                throw;
            }

            return new ConnectorOutcome(cpu.Index, cpu.Name, OutcomeKind.Done, string.Empty);
        }
        catch (RtasCallException error)
        {
            return new ConnectorOutcome(cpu.Index, cpu.Name, OutcomeKind.Failed, error.Message, error.Status);
        }
        catch (KernelException error)
        {
            return new ConnectorOutcome(cpu.Index, cpu.Name, OutcomeKind.Failed, error.Message, Errno: error.Errno);
        }
    }

    /// <summary>Release the connector, then take the nodes out of the tree; if that fails, take the connector back.</summary>
    private static void Unconfigure(OperationContext context, DtNode node, uint index)
    {
        if (context.Kernel.HasCpuProbe())
        {
            context.Kernel.ReleaseCpu(node.Path);
            return;
        }

        context.Dr.Release(index);
        context.Journal.Step(index, "released");
        try
        {
            TreeEdits.Detach(context.Kernel, node);
        }
        catch (KernelException)
        {
            context.Dr.Acquire(index);
            context.Dr.FinishWalk(index);
            throw;
        }
    }

    /// <summary>Onlines or offlines every logical CPU whose hardware thread the node lists.</summary>
    private static void SetThreads(IGuestKernel kernel, DtNode node, bool online)
    {
        uint[] servers = node.GetProperty("ibm,ppc-interrupt-server#s")?.AsCells() ?? [];
        foreach (CpuThread thread in kernel.ReadCpuThreads().Where(t => servers.Contains(t.PhysicalId) && t.Online != online))
        {
            kernel.SetCpuOnline(thread.Number, online);
        }
    }
}
