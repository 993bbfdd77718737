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
    private ConnectorInventory(List<ConnectorEntry> entries) => Entries = entries;

    /// <summary>Connectors in device-tree container order, then as the firmware lists them.</summary>
    public IReadOnlyList<ConnectorEntry> Entries { get; }

    /// <summary>Reads every connector, or only those of one kind (then only what that kind needs is read).</summary>
    /// <param name="tree">The device tree when the caller has read it for this operation already; null reads it.</param>
    public static ConnectorInventory Read(IGuestKernel kernel, ConnectorKind? only = null, DtNode? tree = null) =>
        new([.. ReadStreamed(kernel, only, tree)]);

    /// <summary>
    /// Reads the kernel's state now, as <see cref="Read"/> does, but builds each entry only as the
    /// caller walks the sequence: a listing of a 64 TiB partition (262,144 LMBs) then never holds
    /// every entry at once, and what it writes out dies young.
    /// </summary>
    public static IEnumerable<ConnectorEntry> ReadStreamed(IGuestKernel kernel, ConnectorKind? only = null, DtNode? tree = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return Join(InventorySnapshot.Read(kernel, only, tree ?? kernel.ReadDeviceTree()), only);
    }

    private static IEnumerable<ConnectorEntry> Join(InventorySnapshot state, ConnectorKind? only)
    {
        var kindOfType = new Dictionary<string, ConnectorKind>(StringComparer.Ordinal);
        foreach ((string container, DrcConnector connector) in state.Connectors)
        {
            if (!kindOfType.TryGetValue(connector.Type, out ConnectorKind kind))
            {
                kindOfType[connector.Type] = kind = ConnectorKinds.OfType(connector.Type);
            }

            if (only is null || only == kind)
            {
                yield return state.Entry(connector, container, kind);
            }
        }
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
}
