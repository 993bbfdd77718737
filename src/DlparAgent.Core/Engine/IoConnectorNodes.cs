using System.Globalization;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>Steps shared by the I/O handlers: finding the connector, and device-tree attach and detach (the kernel's <c>dt</c> or configure-connector +
/// ofdt).</summary>
internal static class IoConnectorNodes
{
    public static (DrcConnector Connector, string Container) Resolve(PartitionView view, DlparRequest request, Func<DrcConnector, bool> kind, string what)
    {
        (DrcConnector Connector, DrcContainer Container)? hit = request.Target switch
        {
            DlparTarget.ByIndex index => view.Catalog.TryGetByIndex(index.Index, out DrcConnector c, out DrcContainer container) && kind(c) ? (c,
                container) : null,
            DlparTarget.ByName name => view.Catalog.TryGetByName(name.Name, out DrcConnector c, out DrcContainer container) && kind(c) ? (c, container) : null,
            _ => throw new DlparException($"{RequestGrammar.ResourceWord(request.Resource)} takes an index or a name"),
        };
        if (hit is null)
        {
            string target = request.Target switch
            {
                DlparTarget.ByIndex index => string.Create(CultureInfo.InvariantCulture, $"index 0x{index.Index:x8}"),
                DlparTarget.ByName name => $"name \"{name.Name}\"",
                _ => string.Empty,
            };
            throw new DlparException($"there is no {what} connector with {target}");
        }

        return (hit.Value.Connector, hit.Value.Container.Path);
    }

    /// <summary>Builds the connector's nodes under its container: <c>dt add index</c> when the kernel offers it, else configure-connector and ofdt.</summary>
    public static void Attach(OperationContext context, uint index, string container)
    {
        if (context.Kernel.ReadDlparCapabilities().DeviceTree)
        {
            context.Kernel.WriteDlpar(string.Create(CultureInfo.InvariantCulture, $"dt add index 0x{index:x}"));
            return;
        }

        DtNode node = DrSequences.ReadConfiguredNode(() => context.Dr.ConfigureConnector(index), index);
        TreeEdits.Attach(context.Kernel, container, node);
    }

    /// <summary>Removes the connector's nodes: <c>dt remove index</c>, else ofdt, leaves first.</summary>
    public static void Detach(OperationContext context, uint index, string container)
    {
        if (context.Kernel.ReadDlparCapabilities().DeviceTree)
        {
            context.Kernel.WriteDlpar(string.Create(CultureInfo.InvariantCulture, $"dt remove index 0x{index:x}"));
            return;
        }

        foreach (DtNode node in OwnedNodes(context.RefreshView(), container, index))
        {
            TreeEdits.Detach(context.Kernel, node);
        }
    }

    public static DtNode[] OwnedNodes(PartitionView view, string container, uint index) =>
        [.. view.Tree.Find(container)?.Children.Where(c => c.GetProperty("ibm,my-drc-index") is { Length: 4 } p && p.AsUInt32() == index) ?? []];
}
