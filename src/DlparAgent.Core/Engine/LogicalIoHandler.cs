using DlparAgent.Core.Drc;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>
/// PHBs and logical I/O slots, virtual ones included (drmgr <c>-c phb</c>, <c>-c slot</c>): add =
/// acquire, build the nodes, rpadlpar <c>add_slot</c>; remove = <c>remove_slot</c>, release, take the
/// nodes out. PCI devices below a PHB go with it.
/// </summary>
internal sealed class LogicalIoHandler(string type, string what) : IResourceHandler
{
    public DlparResult Run(OperationContext context)
    {
        PartitionView view = context.View;
        (DrcConnector connector, string container) = IoConnectorNodes.Resolve(view, context.Request, c => c.Type == type, what);
        bool present = IoConnectorNodes.OwnedNodes(view, container, connector.Index).Length > 0;
        bool add = context.Request.Action == DlparAction.Add;
        if (add == present)
        {
            throw new DlparException($"{connector.Name} is {(add ? "already present" : "not present")}");
        }

        var loop = new ConnectorLoop(context, new ConnectorPlan([connector.Index], 1) { Noun = what + "s" }, (_, direction) =>
        {
            try
            {
                if (direction == DlparAction.Add)
                {
                    Add(context, connector, container);
                }
                else
                {
                    Remove(context, connector, container);
                }

                return new ConnectorOutcome(connector.Index, connector.Name, OutcomeKind.Done, string.Empty);
            }
            catch (RtasCallException error)
            {
                return new ConnectorOutcome(connector.Index, connector.Name, OutcomeKind.Failed, error.Message, error.Status);
            }
            catch (KernelException error)
            {
                return new ConnectorOutcome(connector.Index, connector.Name, OutcomeKind.Failed, error.Message, Errno: error.Errno);
            }
        });
        string? failure = loop.Run();
        return new DlparResult(context.Request, 1, loop.Outcomes,
            context.Kernel.ReadDlparCapabilities().DeviceTree ? DlparMechanism.KernelDeviceTree : DlparMechanism.Userspace,
            loop.Outcomes is [{ Kind: OutcomeKind.Done }] ? null : (loop.Outcomes.Count > 0 ? loop.Outcomes[0].Detail : failure))
        {
            Interrupted = loop.Interrupted,
        };
    }

    public string Settle(OperationContext context, uint index, DlparAction action)
    {
        PartitionView view = context.RefreshView();
        if (!view.Catalog.TryGetByIndex(index, out DrcConnector connector, out DrcContainer container))
        {
            return "gone";
        }

        bool nodes = IoConnectorNodes.OwnedNodes(view, container.Path, index).Length > 0;
        uint sense = context.Dr.Sense(index);
        if (action == DlparAction.Remove && nodes && sense == DrIndicators.SensePresent)
        {
            context.Dr.Reconfigure(index);
            if (!context.Kernel.ReadDlparSlots().Contains(connector.Name))
            {
                context.Kernel.AddSlot(connector.Name);
            }

            return "kept";
        }

        if (context.Kernel.ReadDlparSlots().Contains(connector.Name))
        {
            context.Kernel.RemoveSlot(connector.Name);
        }

        if (nodes)
        {
            IoConnectorNodes.Detach(context, index, container.Path);
        }

        if (sense == DrIndicators.SensePresent)
        {
            context.Dr.Release(index);
        }

        return "released";
    }

    public void FinishRecovery(OperationContext context)
    {
    }

    private static void Add(OperationContext context, DrcConnector connector, string container)
    {
        context.Dr.Acquire(connector.Index);
        context.Journal.Step(connector.Index, "acquired");
        try
        {
            IoConnectorNodes.Attach(context, connector.Index, container);
            context.Journal.Step(connector.Index, "attached");
            try
            {
                context.Kernel.AddSlot(connector.Name);
                try
                {
                    TakeHotplugChildren(context, connector);
                }
                catch (Exception error) when (error is RtasCallException or KernelException)
                {
                    GiveBackHotplugChildren(context, connector, tolerant: true);
                    context.Kernel.RemoveSlot(connector.Name);
                    throw;
                }
            }
            catch (Exception error) when (error is RtasCallException or KernelException)
            {
                IoConnectorNodes.Detach(context, connector.Index, container);
                throw;
            }
        }
        catch (Exception error) when (error is RtasCallException or KernelException)
        {
            context.Dr.Release(connector.Index);
            throw;
        }
    }

    /// <summary>
    /// drmgr's <c>acquire_hp_children</c>: a PHB's fragment brings the nodes of the functions already
    /// in its slots; their physical connectors are unisolated and walked to configured, and the
    /// adapters configured, so each is fully owned.
    /// </summary>
    private static void TakeHotplugChildren(OperationContext context, DrcConnector phb)
    {
        (PartitionView view, (DrcConnector Slot, string Path)[] children) = HotplugChildren(context, phb);
        HashSet<string>? rpaphp = null;
        foreach ((DrcConnector slot, string path) in children)
        {
            if (context.Dr.Sense(slot.Index) != DrIndicators.SensePresent)
            {
                continue;
            }

            context.Dr.Indicator(DrIndicators.IsolationState, slot.Index, DrIndicators.Unisolate, "unisolate");
            context.Dr.FinishWalk(slot.Index);
            if (IoConnectorNodes.OwnedNodes(view, path, slot.Index).Length == 0)
            {
                IoConnectorNodes.Attach(context, slot.Index, path);
            }

            rpaphp ??= [.. context.Kernel.ReadHotplugSlots().Select(s => s.Name)];
            if (rpaphp.Contains(slot.Name))
            {
                context.Kernel.SetSlotPower(slot.Name, true);
            }
        }
    }

    /// <summary>The mirror image: adapters unconfigured, nodes removed and slots isolated before the PHB goes.</summary>
    private static void GiveBackHotplugChildren(OperationContext context, DrcConnector phb, bool tolerant)
    {
        (PartitionView view, (DrcConnector Slot, string Path)[] children) = HotplugChildren(context, phb);
        Dictionary<string, HotplugSlot> rpaphp = context.Kernel.ReadHotplugSlots().ToDictionary(s => s.Name);
        foreach ((DrcConnector slot, string path) in children)
        {
            if (IoConnectorNodes.OwnedNodes(view, path, slot.Index).Length == 0)
            {
                continue;
            }

            try
            {
                if (rpaphp.TryGetValue(slot.Name, out HotplugSlot hotplug) && hotplug.Adapter == 1)
                {
                    context.Kernel.SetSlotPower(slot.Name, false);
                }

                IoConnectorNodes.Detach(context, slot.Index, path);
                if (!context.Rtas.SetIndicator(DrIndicators.IsolationState, slot.Index, DrIndicators.Isolate).IsSuccess)
                {
                    // A slot left unisolated by a failed walk isolates once the walk completes.
                    context.Dr.FinishWalk(slot.Index);
                    context.Dr.Indicator(DrIndicators.IsolationState, slot.Index, DrIndicators.Isolate, "isolate");
                }
            }
            catch (Exception error) when (tolerant && error is RtasCallException or KernelException)
            {
            }
        }
    }

    /// <summary>The PHB's physical slot connectors, read from one snapshot of the tree.</summary>
    private static (PartitionView View, (DrcConnector Slot, string Path)[] Children) HotplugChildren(OperationContext context, DrcConnector phb)
    {
        PartitionView view = context.RefreshView();
        Core.DeviceTree.DtNode? node = view.Tree.Children.FirstOrDefault(c =>
            c.GetProperty("ibm,my-drc-index") is { Length: 4 } p && p.AsUInt32() == phb.Index);
        if (node is null || DrcCatalog.ReadContainer(node) is not { } container)
        {
            return (view, []);
        }

        return (view, [.. container.Connectors.Where(c => c.IsPhysicalSlot).Select(c => (c, node.Path))]);
    }

    private static void Remove(OperationContext context, DrcConnector connector, string container)
    {
        GiveBackHotplugChildren(context, connector, tolerant: false);
        context.Kernel.RemoveSlot(connector.Name);
        context.Journal.Step(connector.Index, "slot removed");
        try
        {
            context.Dr.Release(connector.Index);
        }
        catch (RtasCallException)
        {
            context.Kernel.AddSlot(connector.Name);
            throw;
        }

        context.Journal.Step(connector.Index, "released");
        try
        {
            IoConnectorNodes.Detach(context, connector.Index, container);
        }
        catch (KernelException)
        {
            context.Dr.Acquire(connector.Index);
            context.Dr.FinishWalk(connector.Index);
            context.Kernel.AddSlot(connector.Name);
            throw;
        }
    }
}
