using System.Globalization;
using System.Text.Json.Serialization;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats.Memory;

namespace DlparAgent.Cli.Decode;

/// <summary><c>dlpar decode fdt --json</c>: the blob's connectors by container, and its dynamic-reconfiguration memory.</summary>
internal sealed record FdtDocument(string Source, int Size, int ConnectorCount, IReadOnlyList<FdtContainerDocument> Containers,
    DynamicMemoryDocument? DynamicMemory);

/// <summary>A node that lists connectors, and where it lists them.</summary>
internal sealed record FdtContainerDocument(string Path, string Source, IReadOnlyList<FdtConnectorDocument> Connectors)
{
    public static FdtContainerDocument From(DrcContainer container) => new(container.Path,
        container.Source == DrcSource.DrcInfo ? "ibm,drc-info" : "ibm,drc-indexes",
        [.. container.Connectors.OrderBy(c => c.Index).Select(c => new FdtConnectorDocument(JsonOutput.Hex32(c.Index), c.Name, c.Type, (int)c.PowerDomain))]);
}

internal sealed record FdtConnectorDocument(string Index, string Name, string Type, int PowerDomain);

/// <summary><c>ibm,dynamic-memory(-v2)</c> in numbers, with its sets (v2) or runs of alike LMBs (v1).</summary>
internal sealed record DynamicMemoryDocument(string Property, int Version, ulong LmbSize, int LmbCount, int Assigned, int Static, int Dynamic,
    IReadOnlyList<MemoryRunDocument> Runs)
{
    /// <summary>The lowest and highest DRC index of the dynamic LMBs; absent when there is none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FirstIndex { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastIndex { get; init; }
}

internal sealed record MemoryRunDocument(int Lmbs, string Base, string FirstIndex, string AssociativityIndex, string Flags)
{
    public static MemoryRunDocument From(DynamicMemorySet run) => new((int)run.SequentialLmbs,
        string.Create(CultureInfo.InvariantCulture, $"0x{run.BaseAddress:x}"), JsonOutput.Hex32(run.FirstDrcIndex), JsonOutput.Hex32(run.AssociativityIndex),
        string.Create(CultureInfo.InvariantCulture, $"0x{(uint)run.Flags:x}"));
}
