using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Drc;

namespace DlparAgent.Core.Drc;

/// <summary>
/// Every connector a device tree describes, found in every node that carries <c>ibm,drc-info</c>
/// (preferred, as drmgr does) or the four arrays, with lookups by index and by name.
/// </summary>
public sealed class DrcCatalog
{
    // Built on the first lookup: a listing of a 64 TiB partition walks 262,144 connectors and looks none up.
    private Dictionary<uint, (DrcContainer Container, DrcConnector Connector)>? _byIndex;
    private Dictionary<string, (DrcContainer Container, DrcConnector Connector)>? _byName;

    private DrcCatalog(IReadOnlyList<DrcContainer> containers) => Containers = containers;

    public IReadOnlyList<DrcContainer> Containers { get; }

    public IEnumerable<DrcConnector> Connectors => Containers.SelectMany(c => c.Connectors);

    public int Count => Containers.Sum(c => c.Connectors.Count);

    /// <summary>Reads the connectors of every node below <paramref name="root"/>, in tree order.</summary>
    public static DrcCatalog FromTree(DtNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var containers = new List<DrcContainer>();
        foreach (DtNode node in root.DescendantsAndSelf())
        {
            if (ReadContainer(node) is { } container)
            {
                containers.Add(container);
            }
        }

        return new DrcCatalog(containers);
    }

    /// <summary>
    /// Every connector below <paramref name="root"/> in tree order with its container's path, each
    /// built only as the caller walks (a 64 TiB partition has 262,144 LMB connectors, and a listing
    /// keeps none of them). Every description is read and checked first, so a damaged one fails
    /// before the first connector is handed out.
    /// </summary>
    public static IEnumerable<(string Container, DrcConnector Connector)> Walk(DtNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var described = new List<(string Path, IEnumerable<DrcConnector> Connectors)>();
        foreach (DtNode node in root.DescendantsAndSelf())
        {
            if (Describe(node) is { } description)
            {
                described.Add((node.Path, description.Connectors));
            }
        }

        return described.SelectMany(d => d.Connectors.Select(c => (d.Path, c)));
    }

    /// <summary>The connectors one node describes, or null when it describes none.</summary>
    public static DrcContainer? ReadContainer(DtNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Describe(node) is { } description
            ? new DrcContainer(node.Path, description.Source, description.Connectors as DrcConnector[] ?? [.. description.Connectors])
            : null;
    }

    /// <summary>A node's connectors, checked; those of <c>ibm,drc-info</c> are expanded as they are walked.</summary>
    private static (DrcSource Source, IEnumerable<DrcConnector> Connectors)? Describe(DtNode node)
    {
        if (node.GetProperty(DrcInfo.PropertyName) is { } info)
        {
            DrcInfoEntry[] entries = Wrap(node, () => DrcInfo.Read(info.Value));
            return (DrcSource.DrcInfo, entries.SelectMany(e => e.Expand()));
        }

        DtProperty? indexes = node.GetProperty(DrcArrays.IndexesProperty);
        DtProperty? names = node.GetProperty(DrcArrays.NamesProperty);
        DtProperty? types = node.GetProperty(DrcArrays.TypesProperty);
        DtProperty? domains = node.GetProperty(DrcArrays.PowerDomainsProperty);
        if (indexes is null && names is null && types is null && domains is null)
        {
            return null;
        }

        if (indexes is null || names is null || types is null || domains is null)
        {
            string missing = string.Join(", ", new[] { (indexes, DrcArrays.IndexesProperty), (names, DrcArrays.NamesProperty), (types,
                DrcArrays.TypesProperty), (domains, DrcArrays.PowerDomainsProperty) }
                .Where(p => p.Item1 is null).Select(p => p.Item2));
            throw new DlparFormatException("drc-arrays", node.Path, -1, $"has some of the four DRC arrays but lacks {missing}");
        }

        return (DrcSource.Arrays, Wrap(node, () => DrcArrays.Read(indexes.Value, names.Value, types.Value, domains.Value)));
    }

    public bool TryGetByIndex(uint index, out DrcConnector connector, out DrcContainer container)
    {
        bool found = ByIndex().TryGetValue(index, out var hit);
        (container, connector) = hit;
        return found;
    }

    public bool TryGetByName(string name, out DrcConnector connector, out DrcContainer container)
    {
        bool found = ByName().TryGetValue(name, out var hit);
        (container, connector) = hit;
        return found;
    }

    public IEnumerable<DrcConnector> OfType(string type) => Connectors.Where(c => c.Type == type);

    private static T Wrap<T>(DtNode node, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (DlparFormatException error)
        {
            throw new DlparFormatException(error.Format, $"{node.Path}: {error.Field}", error.Offset, error.Detail);
        }
    }

    private Dictionary<uint, (DrcContainer Container, DrcConnector Connector)> ByIndex()
    {
        if (_byIndex is null)
        {
            var byIndex = new Dictionary<uint, (DrcContainer, DrcConnector)>(Count);
            foreach (DrcContainer container in Containers)
            {
                foreach (DrcConnector connector in container.Connectors)
                {
                    // The first description of an index wins, as drmgr's search order does.
                    byIndex.TryAdd(connector.Index, (container, connector));
                }
            }

            _byIndex = byIndex;
        }

        return _byIndex;
    }

    private Dictionary<string, (DrcContainer Container, DrcConnector Connector)> ByName()
    {
        if (_byName is null)
        {
            var byName = new Dictionary<string, (DrcContainer, DrcConnector)>(Count, StringComparer.Ordinal);
            foreach (DrcContainer container in Containers)
            {
                foreach (DrcConnector connector in container.Connectors)
                {
                    byName.TryAdd(connector.Name, (container, connector));
                }
            }

            _byName = byName;
        }

        return _byName;
    }
}
