using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats.Fdt;

namespace DlparAgent.Conformance.Tests;

/// <summary>
/// The DR-relevant facts of a device tree, one line each, so that two trees compare like two
/// transcripts: every connector (container, index, name, type, power domain; order aside), the
/// negotiated vector, the drconf node, the RTAS DR properties, the event sources, NUMA, and the
/// boot CPU and PHB 0 nodes property by property.
/// </summary>
public static class TreeFacts
{
    private static readonly string[] NodeProperties =
    [
        "/chosen/ibm,architecture-vec-5",
        "/ibm,dynamic-reconfiguration-memory/ibm,lmb-size",
        "/ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory",
        "/ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2",
        "/ibm,dynamic-reconfiguration-memory/ibm,associativity-lookup-arrays",
        "/ibm,dynamic-reconfiguration-memory/ibm,memory-flags-mask",
        "/ibm,dynamic-reconfiguration-memory/ibm,memory-preservation-time",
        "/rtas/ibm,lrdr-capacity",
        "/rtas/ibm,associativity-reference-points",
        "/rtas/ibm,max-associativity-domains",
        "/rtas/ibm,numa-lookup-index-table",
        "/rtas/ibm,numa-distance-table",
        "/rtas/ibm,configure-connector",
        "/rtas/get-sensor-state",
        "/rtas/set-indicator",
        "/rtas/check-exception",
        "/rtas/event-scan",
        "/event-sources/interrupt-ranges",
        "/event-sources/#interrupt-cells",
        "/event-sources/epow-events/interrupts",
        "/event-sources/hot-plug-events/interrupts",
    ];

    private static readonly string[] WholeNodes = ["/cpus/PowerPC,POWER9@0", "/pci@800000020000000"];

    public static List<string> Of(byte[] blob)
    {
        DtNode root = FdtReader.Read(blob).Root;
        var facts = new List<string>();
        foreach (DrcContainer container in DrcCatalog.FromTree(root).Containers.OrderBy(c => c.Path, StringComparer.Ordinal))
        {
            facts.Add($"drc {container.Path}: {container.Connectors.Count} connectors");
            foreach (DrcConnector c in container.Connectors.OrderBy(c => c.Index))
            {
                facts.Add($"drc {container.Path}: 0x{c.Index:x8} \"{c.Name}\" {c.Type} domain 0x{c.PowerDomain:x8}");
            }
        }

        foreach (string path in NodeProperties)
        {
            int slash = path.LastIndexOf('/');
            DtNode? node = root.Find(slash == 0 ? "/" : path[..slash]);
            DtProperty? property = node?.GetProperty(path[(slash + 1)..]);
            facts.Add($"tree {path} = {(property is null ? "(absent)" : Convert.ToHexString(property.Value))}");
        }

        foreach (string path in WholeNodes)
        {
            DtNode? node = root.Find(path);
            if (node is null)
            {
                facts.Add($"tree {path}: (absent)");
                continue;
            }

            foreach (DtProperty property in node.Properties.Where(p => !p.Name.StartsWith("ibm,drc-", StringComparison.Ordinal)).OrderBy(p => p.Name,
                StringComparer.Ordinal))
            {
                facts.Add($"tree {path}/{property.Name} = {Convert.ToHexString(property.Value)}");
            }
        }

        return facts;
    }
}
