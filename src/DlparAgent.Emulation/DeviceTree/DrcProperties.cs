using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats.Drc;

namespace DlparAgent.Emulation.DeviceTree;

/// <summary>Adds a node's DRC description: the four arrays (QEMU) or <c>ibm,drc-info</c> (PowerVM, when negotiated).</summary>
internal static class DrcProperties
{
    public static void Add(DtNode node, IReadOnlyList<DrcConnector> connectors, bool drcInfo)
    {
        if (connectors.Count == 0)
        {
            return;
        }

        if (drcInfo)
        {
            node.AddProperty(new DtProperty(DrcInfo.PropertyName, DrcInfo.Write(DrcInfo.Compress(connectors))));
            return;
        }

        (byte[] indexes, byte[] names, byte[] types, byte[] domains) = DrcArrays.Write(connectors);
        // QEMU's creation order; a fragment walk returns them last-created first (types, names, domains, indexes).
        node.AddProperty(new DtProperty(DrcArrays.IndexesProperty, indexes));
        node.AddProperty(new DtProperty(DrcArrays.PowerDomainsProperty, domains));
        node.AddProperty(new DtProperty(DrcArrays.NamesProperty, names));
        node.AddProperty(new DtProperty(DrcArrays.TypesProperty, types));
    }
}
