using System.Globalization;
using System.Text.Json.Serialization;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Inventory;

namespace DlparAgent.Cli.Inventory;

/// <summary>One connector in <c>dlpar list --json</c> and <c>dlpar show --json</c>.</summary>
internal sealed record ConnectorDocument(
    string Index,
    string Name,
    string Type,
    string Kind,
    int PowerDomain,
    string Container,
    bool Owned,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<ThreadDocument> Threads,
    MemoryDocument? Memory,
    IReadOnlyList<string> Slots,
    HotplugSlotDocument? HotplugSlot)
{
    /// <summary>The firmware's entity sense; only <c>dlpar show</c> asks for it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SenseDocument? Sense { get; init; }

    public static ConnectorDocument From(ConnectorEntry entry, (int Status, uint Value)? sense = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ConnectorDocument(
            JsonOutput.Hex32(entry.Connector.Index),
            entry.Connector.Name,
            entry.Connector.Type,
            ConnectorKinds.Word(entry.Kind),
            (int)entry.Connector.PowerDomain,
            entry.Container,
            entry.Owned,
            entry.Nodes,
            entry.Threads.Count == 0 ? [] : [.. entry.Threads.Select(t => new ThreadDocument(t.Number, t.PhysicalId, t.Online))],
            entry.Memory is { } memory ? MemoryDocument.From(memory) : null,
            entry.Slots,
            entry.HotplugSlot is { } slot ? new HotplugSlotDocument(slot.Power, slot.Adapter) : null)
        {
            Sense = sense is { } s ? new SenseDocument(s.Status, s.Value, s.Status == 0 ? InventoryReport.SenseWord(s.Value) : null) : null,
        };
    }
}

/// <summary>A logical CPU of a CPU connector.</summary>
internal sealed record ThreadDocument(int Number, uint PhysicalId, bool Online);

/// <summary>An LMB: where it is, its NUMA association and the memory blocks the kernel has for it.</summary>
internal sealed record MemoryDocument(string Address, ulong Size, uint? AssociativityIndex, IReadOnlyList<uint> Associativity,
    IReadOnlyList<MemoryBlockDocument> Blocks, bool Removable)
{
    public static MemoryDocument From(MemoryDetails memory) => new(
        string.Create(CultureInfo.InvariantCulture, $"0x{memory.Address:x}"),
        memory.Size,
        memory.AssociativityIndex,
        memory.Associativity ?? [],
        memory.Blocks.Count == 0 ? [] : [.. memory.Blocks.Select(b => new MemoryBlockDocument(b.Number, b.Online, b.Removable))],
        memory.Removable);
}

/// <summary>A sysfs memory block.</summary>
internal sealed record MemoryBlockDocument(int Number, bool Online, bool Removable);

/// <summary>rpaphp's slot: power and adapter state.</summary>
internal sealed record HotplugSlotDocument(bool Power, int Adapter);

/// <summary>get-sensor-state(9003) for the connector: the RTAS status, the value and its meaning (null when the call failed).</summary>
internal sealed record SenseDocument(int Status, uint Value, string? Meaning);
