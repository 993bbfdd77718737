using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Resources;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>I/O operations beside add and remove: query a connector, light a slot's identify LED, replace an adapter.</summary>
internal static class SlotQueryAndIdentify
{
    public static SlotQuery Query(PartitionView view, DlparRequest request)
    {
        if (request.Resource is not (DlparResource.Pci or DlparResource.Phb or DlparResource.Slot))
        {
            throw new DlparException($"{RequestGrammar.ResourceWord(request.Resource)} cannot be queried");
        }

        Func<DrcConnector, bool> kind = ResourceTable.Of(request.Resource).HoldsConnector;
        (DrcConnector, string)? hit;
        try
        {
            hit = IoConnectorNodes.Resolve(view, request, kind, "I/O");
        }
        catch (DlparException)
        {
            return new SlotQuery(null, false, false);
        }

        (DrcConnector connector, string container) = hit.Value;
        DtNode[] nodes = IoConnectorNodes.OwnedNodes(view, container, connector.Index);
        // drmgr refuses display adapters: the console may be on them.
        bool inUse = nodes.SelectMany(n => n.DescendantsAndSelf()).Any(n => n.GetProperty("device_type")?.Value.SequenceEqual("display\0"u8) == true);
        return new SlotQuery(connector, nodes.Length > 0, inUse);
    }

    /// <summary>drmgr <c>-i</c>: identify (LED 2), or back to its normal state (1 occupied, 0 empty).</summary>
    public static DlparResult Identify(OperationContext context, bool identify)
    {
        PartitionView view = context.View;
        (DrcConnector slot, string container) = IoConnectorNodes.Resolve(view, context.Request, c => c.IsPhysicalSlot, "PCI hotplug slot");
        uint value = identify ? DrIndicators.LedIdentify : IoConnectorNodes.OwnedNodes(view, container,
            slot.Index).Length > 0 ? DrIndicators.LedActive : DrIndicators.LedInactive;
        RtasStatus status = context.Rtas.SetIndicator(DrIndicators.DrIndicator, slot.Index, value);
        ConnectorOutcome outcome = status.IsSuccess
            ? new ConnectorOutcome(slot.Index, slot.Name, OutcomeKind.Done, identify ? "identify" : "normal")
            : new ConnectorOutcome(slot.Index, slot.Name, OutcomeKind.Failed, $"dr-indicator {value}: {status.Describe()}", status);
        return new DlparResult(context.Request, 1, [outcome], DlparMechanism.Userspace, status.IsSuccess ? null : outcome.Detail);
    }
}
