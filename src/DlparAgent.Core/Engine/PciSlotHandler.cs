using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>
/// PCI hotplug slots (drmgr <c>-c pci</c>): add = power on, sense a card, unisolate, LED on,
/// build the nodes, configure the adapter (rpaphp power, or a PCI rescan); remove = the mirror
/// image, ending isolated and powered off. Physical connectors have no allocation state.
/// </summary>
internal sealed class PciSlotHandler : IResourceHandler
{
    public DlparResult Run(OperationContext context)
    {
        PartitionView view = context.View;
        (DrcConnector slot, string container) = IoConnectorNodes.Resolve(view, context.Request, c => c.IsPhysicalSlot, "PCI hotplug slot");
        bool occupied = IoConnectorNodes.OwnedNodes(view, container, slot.Index).Length > 0;
        bool add = context.Request.Action == DlparAction.Add;
        if (add == occupied)
        {
            throw new DlparException(add
                ? "The specified PCI slot is already occupied."
                : "There is no configured card to remove from the specified PCI slot.");
        }

        var loop = new ConnectorLoop(context, new ConnectorPlan([slot.Index], 1) { Noun = "PCI slots" }, (_, direction) => Guard(slot, () =>
        {
            if (direction == DlparAction.Add)
            {
                Add(context, slot, container);
            }
            else
            {
                Remove(context, slot, container);
            }
        }));
        string? error = loop.Run();
        return new DlparResult(context.Request, 1, loop.Outcomes,
            context.Kernel.ReadDlparCapabilities().DeviceTree ? DlparMechanism.KernelDeviceTree : DlparMechanism.Userspace,
            loop.Outcomes is [{ Kind: OutcomeKind.Done }] ? null : (loop.Outcomes.Count > 0 ? loop.Outcomes[0].Detail : error))
        {
            Interrupted = loop.Interrupted,
        };
    }

    public string Settle(OperationContext context, uint index, DlparAction action)
    {
        PartitionView view = context.RefreshView();
        if (!view.Catalog.TryGetByIndex(index, out DrcConnector slot, out DrcContainer container))
        {
            return "gone";
        }

        if (action == DlparAction.Remove && IoConnectorNodes.OwnedNodes(view, container.Path, index).Length > 0)
        {
            context.Dr.Reconfigure(index);
            Configure(context, slot, container.Path);
            return "kept";
        }

        Unconfigure(context, slot, container.Path, tolerant: true);
        if (IoConnectorNodes.OwnedNodes(context.RefreshView(), container.Path, index).Length > 0)
        {
            IoConnectorNodes.Detach(context, index, container.Path);
        }

        context.Rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Isolate);
        PowerOff(context, slot);
        return "released";
    }

    public void FinishRecovery(OperationContext context)
    {
    }

    private static void Add(OperationContext context, DrcConnector slot, string container)
    {
        PowerOn(context, slot);
        if (context.Dr.Sense(slot.Index) == DrIndicators.SenseEmpty)
        {
            PowerOff(context, slot);
            throw new EmptySlotException(slot.Name, slot.Index);
        }

        try
        {
            context.Dr.Indicator(DrIndicators.IsolationState, slot.Index, DrIndicators.Unisolate, "unisolate");
        }
        catch (RtasCallException)
        {
            PowerOff(context, slot);
            throw;
        }

        context.Journal.Step(slot.Index, "unisolated");
        context.Rtas.SetIndicator(DrIndicators.DrIndicator, slot.Index, DrIndicators.LedActive);
        try
        {
            IoConnectorNodes.Attach(context, slot.Index, container);
            context.Journal.Step(slot.Index, "attached");
            try
            {
                Configure(context, slot, container);
            }
            catch (KernelException)
            {
                IoConnectorNodes.Detach(context, slot.Index, container);
                throw;
            }
        }
        catch (Exception error) when (error is RtasCallException or KernelException)
        {
            Isolate(context, slot);
            throw;
        }
    }

    private static void Remove(OperationContext context, DrcConnector slot, string container)
    {
        Unconfigure(context, slot, container, tolerant: false);
        context.Journal.Step(slot.Index, "unconfigured");
        try
        {
            IoConnectorNodes.Detach(context, slot.Index, container);
        }
        catch (KernelException)
        {
            Configure(context, slot, container);
            throw;
        }

        context.Journal.Step(slot.Index, "detached");
        context.Rtas.SetIndicator(DrIndicators.DrIndicator, slot.Index, DrIndicators.LedInactive);
        try
        {
            context.Dr.Indicator(DrIndicators.IsolationState, slot.Index, DrIndicators.Isolate, "isolate");
        }
        catch (RtasCallException)
        {
            // Still unisolated: give the slot its nodes and its adapter back.
            context.Dr.FinishWalk(slot.Index);
            IoConnectorNodes.Attach(context, slot.Index, container);
            Configure(context, slot, container);
            throw;
        }

        PowerOff(context, slot);
    }

    /// <summary>Configures the adapter: rpaphp's slot power when it knows the slot, else a PCI rescan.</summary>
    private static void Configure(OperationContext context, DrcConnector slot, string container)
    {
        if (context.Kernel.ReadHotplugSlot(slot.Name) is not null)
        {
            context.Kernel.SetSlotPower(slot.Name, true);
        }
        else
        {
            context.Kernel.RescanPci();
        }

    }

    private static void Unconfigure(OperationContext context, DrcConnector slot, string container, bool tolerant)
    {
        try
        {
            IReadOnlyDictionary<string, string> devices = context.Kernel.ReadPciDevices();
            string[] own = [.. IoConnectorNodes.OwnedNodes(context.RefreshView(), container, slot.Index).Select(n => n.Path)];
            if (!SharesItsBus(devices, own) && context.Kernel.ReadHotplugSlot(slot.Name) is { } hotplug)
            {
                if (hotplug.Adapter == 1)
                {
                    context.Kernel.SetSlotPower(slot.Name, false);
                }

                return;
            }

            foreach (string path in own.Where(devices.ContainsKey))
            {
                context.Kernel.RemovePciDevice(path);
            }
        }
        catch (KernelException) when (tolerant)
        {
        }
    }

    /// <summary>
    /// rpaphp powers a slot off by removing every device on the slot's bus. Where other cards share
    /// that bus (QEMU's PHBs put every slot on the root bus) that would take them too, so the
    /// slot's functions are removed one by one instead, as rtas_errd has drmgr do there (<c>-V</c>).
    /// </summary>
    private static bool SharesItsBus(IReadOnlyDictionary<string, string> devices, string[] own)
    {
        HashSet<string> buses = [.. own.Where(devices.ContainsKey).Select(path => Bus(devices[path]))];
        return devices.Any(d => !own.Contains(d.Key) && buses.Contains(Bus(d.Value)));
    }

    /// <summary>The domain and bus of a PCI address (<c>0000:00</c> of <c>0000:00:04.0</c>).</summary>
    private static string Bus(string address) => address.LastIndexOf(':') is var colon and > 0 ? address[..colon] : address;

    private static void Isolate(OperationContext context, DrcConnector slot)
    {
        if (!context.Rtas.SetIndicator(DrIndicators.IsolationState, slot.Index, DrIndicators.Isolate).IsSuccess)
        {
            // QEMU: a slot left unisolated by a failed walk isolates once the walk is complete.
            context.Dr.FinishWalk(slot.Index);
            context.Rtas.SetIndicator(DrIndicators.IsolationState, slot.Index, DrIndicators.Isolate);
        }

        context.Rtas.SetIndicator(DrIndicators.DrIndicator, slot.Index, DrIndicators.LedInactive);
        PowerOff(context, slot);
    }

    private static void PowerOn(OperationContext context, DrcConnector slot)
    {
        if (slot.HasPowerControl)
        {
            RtasResult power = context.Rtas.SetPowerLevel(slot.PowerDomain, DrIndicators.PowerOn);
            if (!power.Status.IsSuccess)
            {
                throw new RtasCallException("set-power-level on", slot.Index, power.Status);
            }
        }
    }

    private static void PowerOff(OperationContext context, DrcConnector slot)
    {
        if (slot.HasPowerControl)
        {
            context.Rtas.SetPowerLevel(slot.PowerDomain, DrIndicators.PowerOff);
        }
    }

    private static ConnectorOutcome Guard(DrcConnector slot, Action step)
    {
        try
        {
            step();
            return new ConnectorOutcome(slot.Index, slot.Name, OutcomeKind.Done, string.Empty);
        }
        catch (RtasCallException error)
        {
            return new ConnectorOutcome(slot.Index, slot.Name, OutcomeKind.Failed, error.Message, error.Status);
        }
        catch (KernelException error)
        {
            return new ConnectorOutcome(slot.Index, slot.Name, OutcomeKind.Failed, error.Message, Errno: error.Errno);
        }
        catch (EmptySlotException error)
        {
            return new ConnectorOutcome(slot.Index, slot.Name, OutcomeKind.Failed, error.Message);
        }
    }
}
