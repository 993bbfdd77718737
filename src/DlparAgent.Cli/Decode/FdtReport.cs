using System.Globalization;
using System.Text.Json;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Memory;

namespace DlparAgent.Cli.Decode;

/// <summary><c>dlpar decode fdt</c>: the DRC catalog and the dynamic-memory LMB table of a dtb.</summary>
internal sealed class FdtReport
{
    private readonly FlattenedDeviceTree _tree;
    private readonly DrcCatalog _catalog;
    private readonly DynamicReconfigurationMemory? _memory;
    private readonly int _size;

    private FdtReport(FlattenedDeviceTree tree, int size)
    {
        _tree = tree;
        _size = size;
        _catalog = DrcCatalog.FromTree(tree.Root);
        _memory = DynamicReconfigurationMemory.FromTree(tree.Root);
    }

    public static FdtReport Read(byte[] blob) => new(FdtReader.Read(blob), blob.Length);

    public void WriteText(TextWriter output, string source)
    {
        int nodes = _tree.Root.DescendantsAndSelf().Count();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Device tree {source}: {_size} bytes, {nodes} nodes"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DRC connectors: {_catalog.Count} in {_catalog.Containers.Count} container nodes"));
        foreach (DrcContainer container in _catalog.Containers)
        {
            output.WriteLine();
            string source2 = container.Source == DrcSource.DrcInfo ? "ibm,drc-info" : "ibm,drc-indexes/-names/-types/-power-domains";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{container.Path} ({source2}): {container.Connectors.Count} connectors"));
            int nameWidth = Math.Max(4, container.Connectors.Select(c => c.Name.Length).DefaultIfEmpty(0).Max());
            int typeWidth = Math.Max(4, container.Connectors.Select(c => c.Type.Length).DefaultIfEmpty(0).Max());
            output.WriteLine($"  {"index",-10}  {"name".PadRight(nameWidth)}  {"type".PadRight(typeWidth)}  power-domain");
            foreach (DrcConnector connector in container.Connectors.OrderBy(c => c.Index))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  0x{connector.Index:x8}  {connector.Name.PadRight(nameWidth)}  {connector.Type.PadRight(typeWidth)}  {(int)connector.PowerDomain}"));
            }
        }

        output.WriteLine();
        if (_memory is null)
        {
            output.WriteLine($"Dynamic memory: none ({DynamicReconfigurationMemory.NodePath} is absent)");
            return;
        }

        MemorySummary summary = MemorySummary.Of(_memory, _catalog);
        output.WriteLine($"Dynamic memory: {DynamicReconfigurationMemory.NodePath} {_memory.PropertyName}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  LMB size {FormatSize(_memory.LmbSize)}, {_memory.Lmbs.Count} LMBs ({FormatSize(_memory.LmbSize * (ulong)_memory.Lmbs.Count)}), " +
                $"{summary.Runs.Length} {(_memory.Version == 2 ? "sets" : "runs")}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  assigned {summary.Assigned}, reserved or without connector {summary.Static}, DR connectors {summary.Dynamic}{summary.DescribeRange()}"));
        if (_memory.AssociativityLookup is { } lookup)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  associativity lookup arrays: {lookup.Count} x {lookup.EntriesPerList}"));
        }

        output.WriteLine($"  {"lmbs",8}  {"base",-18}  {"first-index",-11}  {"aa-index",-10}  flags");
        foreach (DynamicMemorySet run in summary.Runs)
        {
            string line = string.Create(CultureInfo.InvariantCulture,
                $"  {run.SequentialLmbs,8}  0x{run.BaseAddress:x16}  0x{run.FirstDrcIndex:x8}   0x{run.AssociativityIndex:x8}  0x{(uint)run.Flags:x3} " +
                    $"{EnumWords.Flags(run.Flags)}");
            output.WriteLine(line.TrimEnd());
        }
    }

    public void WriteJson(TextWriter output, string source)
    {
        DynamicMemoryDocument? memory = null;
        if (_memory is not null)
        {
            MemorySummary summary = MemorySummary.Of(_memory, _catalog);
            memory = new DynamicMemoryDocument(_memory.PropertyName, _memory.Version, _memory.LmbSize, _memory.Lmbs.Count, summary.Assigned, summary.Static,
                summary.Dynamic, [.. summary.Runs.Select(MemoryRunDocument.From)])
            {
                FirstIndex = summary.Dynamic > 0 ? JsonOutput.Hex32(summary.FirstIndex) : null,
                LastIndex = summary.Dynamic > 0 ? JsonOutput.Hex32(summary.LastIndex) : null,
            };
        }

        JsonOutput.Write(output, new FdtDocument(source, _size, _catalog.Count, [.. _catalog.Containers.Select(FdtContainerDocument.From)], memory),
            JsonOutput.Documents.FdtDocument);
    }

    private static string FormatSize(ulong bytes) => bytes switch
    {
        >= 1UL << 40 when bytes % (1UL << 40) == 0 => $"{bytes >> 40} TiB",
        >= 1UL << 30 when bytes % (1UL << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1UL << 20 when bytes % (1UL << 20) == 0 => $"{bytes >> 20} MiB",
        _ => $"{bytes} bytes",
    };

    /// <summary>Counts of the LMB table, and its sets (v2) or runs (v1, grouped the same way).</summary>
    private sealed record MemorySummary(int Assigned, int Static, int Dynamic, uint FirstIndex, uint LastIndex, string? FirstName, string? LastName,
        DynamicMemorySet[] Runs)
    {
        public static MemorySummary Of(DynamicReconfigurationMemory memory, DrcCatalog catalog)
        {
            DynamicMemoryLmb[] lmbs = [.. memory.Lmbs];
            DynamicMemoryLmb[] dynamic = [.. lmbs.Where(l => l.IsDynamic)];
            uint first = dynamic.Length > 0 ? dynamic.Min(l => l.DrcIndex) : 0;
            uint last = dynamic.Length > 0 ? dynamic.Max(l => l.DrcIndex) : 0;
            string? NameOf(uint index) => catalog.TryGetByIndex(index, out DrcConnector c, out _) ? c.Name : null;
            DynamicMemorySet[] runs = memory.Sets is { } sets ? [.. sets] : DynamicMemoryV2.Compress(lmbs, memory.LmbSize);
            return new MemorySummary(lmbs.Count(l => l.IsAssigned), lmbs.Length - dynamic.Length, dynamic.Length, first, last, NameOf(first), NameOf(last),
                runs);
        }

        public string DescribeRange()
        {
            if (Dynamic == 0)
            {
                return string.Empty;
            }

            string names = FirstName is not null && LastName is not null ? $" ({FirstName}..{LastName})" : string.Empty;
            return $": 0x{FirstIndex:x8}..0x{LastIndex:x8}{names}";
        }
    }
}
