using System.Collections.ObjectModel;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Core.Inventory;

/// <summary>
/// One connector as the partition sees it: the firmware's description, whether the OS owns what
/// it holds, and what that is (CPU threads, an LMB's memory blocks, PCI functions, a PHB's
/// occupied slots, a slot's adapter).
/// </summary>
/// <param name="Container">The device-tree node whose DRC properties list the connector.</param>
/// <param name="Nodes">Device-tree nodes configured for the connector (<c>ibm,my-drc-index</c>).</param>
public sealed record ConnectorEntry(DrcConnector Connector, string Container, ConnectorKind Kind, bool Owned, IReadOnlyList<string> Nodes)
{
    public IReadOnlyList<CpuThread> Threads { get; init; } = [];

    public MemoryDetails? Memory { get; init; }

    /// <summary>The connectors a PHB's node describes, in device-tree order, each with whether it is occupied.</summary>
    public IReadOnlyList<ChildConnector> Children { get; init; } = [];

    /// <summary>A PHB's occupied child slots, by DRC name.</summary>
    public IReadOnlyList<string> Slots => [.. Children.Where(c => c.Owned).Select(c => c.Connector.Name)];

    /// <summary>The connector's nodes the kernel has a PCI device for, each with the device's PCI address (<c>0000:00:01.0</c>).</summary>
    public IReadOnlyDictionary<string, string> PciDevices { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>rpaphp's view of a PCI hotplug slot, when the kernel has one for the connector.</summary>
    public HotplugSlot? HotplugSlot { get; init; }
}
