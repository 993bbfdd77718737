using DlparAgent.Core.Drc;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Inventory;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Resources;

/// <summary>
/// Everything the agent knows about one type of resource, in one row of <see cref="ResourceTable"/>:
/// its words in every grammar, its DRC types, its firmware event code, where its nodes live, and
/// the handler that adds and removes it. A new resource type is one row and one handler.
/// </summary>
public sealed record ResourceType
{
    /// <summary>The engine's key for requests (null for kinds that are only listed, such as PMEM).</summary>
    public DlparResource? Resource { get; init; }

    /// <summary>The inventory's kind (<c>dlpar list</c>, <c>lsslot</c>).</summary>
    public required ConnectorKind Kind { get; init; }

    /// <summary>The word of the request grammar and of <c>dlpar add|remove|list</c>: <c>memory</c>, <c>cpu</c>, …</summary>
    public required string Word { get; init; }

    /// <summary>Other spellings the request grammar and the dlpar command line accept (<c>mem</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The keyword of <c>/sys/kernel/dlpar</c>, where the kernel handles the resource itself; null otherwise.</summary>
    public string? KernelKeyword { get; init; }

    /// <summary>drmgr's <c>-c</c> word; null when drmgr does not take the resource.</summary>
    public string? DrmgrWord { get; init; }

    /// <summary>The drmgr actions valid with its <c>-c</c> word: <c>a</c>dd, <c>r</c>emove, <c>R</c>eplace, <c>i</c>dentify, <c>Q</c>uery.</summary>
    public string DrmgrActions { get; init; } = string.Empty;

    /// <summary>lsslot's <c>-c</c> word; null when lsslot does not list it.</summary>
    public string? LsslotWord { get; init; }

    /// <summary>The <c>drmgr -C</c> key drmgr validates (with a "Validating … capability" line) before it operates on this type; null for none.</summary>
    public string? DrmgrCapability { get; init; }

    /// <summary>The resource code of a firmware hotplug event's HP section.</summary>
    public HotplugResource? HotplugCode { get; init; }

    /// <summary>Whether a DRC type (a connector's <c>ibm,drc-types</c> entry) is this resource's; the type alone decides.</summary>
    public required Func<string, bool> HoldsType { get; init; }

    /// <summary>Whether a connector is of this resource.</summary>
    public bool HoldsConnector(DrcConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return HoldsType(connector.Type);
    }

    /// <summary>The device-tree path its nodes are configured below, where it has one fixed place.</summary>
    public string? ContainerPath { get; init; }

    /// <summary>The targets its requests take (count, index, indexed-count, name).</summary>
    public required ResourceTargets Targets { get; init; }

    /// <summary>Creates the engine's handler; null for a resource the engine does not add or remove itself.</summary>
    internal Func<IResourceHandler>? CreateHandler { get; init; }

    /// <summary>Whether the engine adds and removes it (dlpar add|remove take it).</summary>
    public bool HasHandler => CreateHandler is not null;

    /// <summary>Whether a request word names it (its word or an alias).</summary>
    public bool IsNamed(string word) => word == Word || Aliases.Contains(word);
}
