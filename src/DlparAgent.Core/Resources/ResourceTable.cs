using DlparAgent.Core.Drc;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Inventory;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Resources;

/// <summary>
/// The one table of resource types. Every grammar, command line, event and listing looks its
/// words up here; an unknown word is an error, never routed to some default handler.
/// </summary>
public static class ResourceTable
{
    public static IReadOnlyList<ResourceType> Rows { get; } =
    [
        new()
        {
            Resource = DlparResource.Cpu, Kind = ConnectorKind.Cpu, Word = "cpu", KernelKeyword = "cpu", DrmgrWord = "cpu", DrmgrActions = "ar", LsslotWord =
                "cpu", DrmgrCapability = "cpu_dlpar",
            HotplugCode = HotplugResource.Cpu, HoldsType = t => t == "CPU", ContainerPath = "/cpus",
            Targets = ResourceTargets.Count | ResourceTargets.Index | ResourceTargets.Name, CreateHandler = () => new CpuHandler(),
        },
        new()
        {
            Resource = DlparResource.Memory, Kind = ConnectorKind.Memory, Word = "memory", Aliases = ["mem"], KernelKeyword = "memory", DrmgrWord =
                "mem", DrmgrActions = "ar", LsslotWord = "mem", DrmgrCapability = "mem_dlpar",
            HotplugCode = HotplugResource.Memory, HoldsType = t => t == "MEM", ContainerPath = "/ibm,dynamic-reconfiguration-memory",
            Targets = ResourceTargets.Count | ResourceTargets.Index | ResourceTargets.IndexedCount | ResourceTargets.Name, CreateHandler = () =>
                new MemoryHandler(),
        },
        new()
        {
            Resource = DlparResource.Pci, Kind = ConnectorKind.Pci, Word = "pci", DrmgrWord = "pci", DrmgrActions = "arRi", LsslotWord = "pci",
            HotplugCode = HotplugResource.Pci, HoldsType = DrcConnector.IsPhysicalSlotType,
            Targets = ResourceTargets.Index | ResourceTargets.Name, CreateHandler = () => new PciSlotHandler(),
        },
        new()
        {
            Resource = DlparResource.Phb, Kind = ConnectorKind.Phb, Word = "phb", DrmgrWord = "phb", DrmgrActions = "arQ", LsslotWord = "phb",
            DrmgrCapability = "phb_dlpar",
            HotplugCode = HotplugResource.Phb, HoldsType = t => t == "PHB",
            Targets = ResourceTargets.Index | ResourceTargets.Name, CreateHandler = () => new LogicalIoHandler("PHB", "PHB"),
        },
        new()
        {
            Resource = DlparResource.Slot, Kind = ConnectorKind.Slot, Word = "slot", DrmgrWord = "slot", DrmgrActions = "arQ", LsslotWord = "slot",
            DrmgrCapability = "slot_dlpar",
            HotplugCode = HotplugResource.Slot, HoldsType = t => t == "SLOT",
            Targets = ResourceTargets.Index | ResourceTargets.Name, CreateHandler = () => new LogicalIoHandler("SLOT", "I/O slot"),
        },
        new()
        {
            // The kernel's own resource: device-tree nodes of an I/O connector, added or removed by the kernel alone.
            Resource = DlparResource.DeviceTree, Kind = ConnectorKind.Other, Word = "dt", KernelKeyword = "dt",
            HoldsType = _ => false, Targets = ResourceTargets.Index,
        },
        new()
        {
            Kind = ConnectorKind.Pmem, Word = "pmem", HotplugCode = HotplugResource.Pmem, HoldsType = t => t == "PMEM", Targets = ResourceTargets.None,
        },
        new()
        {
            Kind = ConnectorKind.Port, Word = "port", LsslotWord = "port", HoldsType = t => t.StartsWith("HEA",
                StringComparison.Ordinal), Targets = ResourceTargets.None,
        },
    ];

    /// <summary>The words of the resources requests can name, in table order (<c>memory</c>, <c>mem</c>, <c>cpu</c>, …).</summary>
    public static IReadOnlyList<string> RequestWords { get; } = [.. Rows.Where(r => r.Resource is not null).SelectMany(r => (string[])[r.Word, .. r.Aliases])];

    /// <summary>The words <c>dlpar add|remove</c> takes: resources the engine handles.</summary>
    public static IReadOnlyList<string> EngineWords { get; } = [.. Rows.Where(r => r.HasHandler).SelectMany(r => (string[])[r.Word, .. r.Aliases])];

    /// <summary>The kind words of the listings (<c>dlpar list</c>), aliases included.</summary>
    public static IReadOnlyList<string> ListingWords { get; } = [.. Rows.Where(r => r.Resource != DlparResource.DeviceTree).SelectMany(r => (string[])[r.Word,
        .. r.Aliases])];

    public static ResourceType Of(DlparResource resource) => Rows.First(r => r.Resource == resource);

    /// <summary>The row a request word names (word or alias), or null.</summary>
    public static ResourceType? ByWord(string word) => Rows.FirstOrDefault(r => r.Resource is not null && r.IsNamed(word));

    /// <summary>The row a <c>/sys/kernel/dlpar</c> keyword names, or null.</summary>
    public static ResourceType? ByKernelKeyword(string keyword) => Rows.FirstOrDefault(r => r.KernelKeyword == keyword);

    /// <summary>The row a drmgr <c>-c</c> word names, or null.</summary>
    public static ResourceType? ByDrmgrWord(string word) => Rows.FirstOrDefault(r => r.DrmgrWord == word);

    /// <summary>The row an HP section's resource code names, or null (PMEM has no handler, but has a row).</summary>
    public static ResourceType? ByHotplugCode(HotplugResource code) => Rows.FirstOrDefault(r => r.HotplugCode == code);

    /// <summary>The row of an inventory kind.</summary>
    public static ResourceType? ByKind(ConnectorKind kind) => Rows.FirstOrDefault(r => r.Kind == kind && r.Resource != DlparResource.DeviceTree);

    /// <summary>The row for a kind word of the listings (<c>memory</c>, <c>mem</c>, <c>pmem</c>, <c>port</c>, …), or null.</summary>
    public static ResourceType? ByListingWord(string word) => Rows.FirstOrDefault(r => r.Resource != DlparResource.DeviceTree && r.IsNamed(word));
}
