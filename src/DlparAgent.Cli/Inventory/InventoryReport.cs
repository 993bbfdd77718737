using System.Globalization;
using System.Text.Json;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Inventory;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Cli.Inventory;

/// <summary>How <c>dlpar list</c> and <c>dlpar show</c> print connectors as text: a table or key-value lines (JSON: <see cref="ConnectorDocument"/>).</summary>
internal static class InventoryReport
{
    /// <param name="senses">The firmware's entity sense per entry (a FIRMWARE column), or null.</param>
    public static void WriteTable(TextWriter output, IReadOnlyList<ConnectorEntry> entries, IReadOnlyList<(int Status, uint Value)>? senses = null)
    {
        int nameWidth = Math.Max("NAME".Length, entries.Count == 0 ? 0 : entries.Max(e => e.Connector.Name.Length)) + 2;
        int typeWidth = Math.Max("TYPE".Length, entries.Count == 0 ? 0 : entries.Max(e => e.Connector.Type.Length)) + 2;
        string firmwareHeader = senses is null ? string.Empty : $"{"FIRMWARE",-14}";
        output.WriteLine($"{"INDEX",-12}{"NAME".PadRight(nameWidth)}{"TYPE".PadRight(typeWidth)}{"STATE",-7}{firmwareHeader}DETAIL");
        for (int i = 0; i < entries.Count; i++)
        {
            ConnectorEntry entry = entries[i];
            string firmware = senses is null ? string.Empty : $"{SenseText(senses[i]),-14}";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{JsonOutput.Hex32(entry.Connector.Index),-12}{entry.Connector.Name.PadRight(nameWidth)}{entry.Connector.Type.PadRight(typeWidth)}" +
                $"{(entry.Owned ? "owned" : "free"),-7}{firmware}{Detail(entry)}").TrimEnd());
        }
    }

    private static string SenseText((int Status, uint Value) sense) =>
        sense.Status == 0 ? SenseWord(sense.Value) : string.Create(CultureInfo.InvariantCulture, $"status {sense.Status}");

    public static void WriteDetails(TextWriter output, ConnectorEntry entry, (int Status, uint Value)? sense)
    {
        DrcConnector c = entry.Connector;
        void Line(string key, string value) => output.WriteLine($"{key + ":",-15}{value}");

        Line("Connector", $"{JsonOutput.Hex32(c.Index)} {c.Name}");
        Line("Type", $"{c.Type} ({ConnectorKinds.Word(entry.Kind)})");
        Line("Power domain", c.HasPowerControl ? ((int)c.PowerDomain).ToString(CultureInfo.InvariantCulture) : "-1 (live insertion)");
        Line("Listed by", entry.Container);
        Line("Owned", entry.Owned ? "yes" : "no");
        Line("Node(s)", entry.Nodes.Count == 0 ? "-" : string.Join(", ", entry.Nodes));
        if (entry.Kind == ConnectorKind.Cpu)
        {
            Line("Threads", entry.Threads.Count == 0 ? "-" : string.Join(", ", entry.Threads.Select(t => string.Create(CultureInfo.InvariantCulture,
                $"cpu{t.Number} ({(t.Online ? "online" : "offline")})"))));
        }

        if (entry.Memory is { } memory)
        {
            Line("Address", string.Create(CultureInfo.InvariantCulture, $"0x{memory.Address:x}, {memory.Size / (1024 * 1024)} MiB"));
            Line("Associativity", memory.AssociativityIndex is { } a ? string.Create(CultureInfo.InvariantCulture,
                $"(index {a}) {string.Join(' ', memory.Associativity ?? [])}") : "not set");
            Line("Blocks", memory.Blocks.Count == 0 ? "-" : string.Join(", ", memory.Blocks.Select(b => string.Create(CultureInfo.InvariantCulture,
                $"memory{b.Number} ({(b.Online ? "online" : "offline")})"))));
            Line("Removable", memory.Removable ? "yes" : "no");
        }

        if (entry.Kind == ConnectorKind.Phb)
        {
            Line("Slots in use", entry.Slots.Count == 0 ? "-" : string.Join(", ", entry.Slots));
        }

        if (entry.HotplugSlot is { } slot)
        {
            Line("rpaphp slot", string.Create(CultureInfo.InvariantCulture,
                $"power {(slot.Power ? 1 : 0)}, adapter {slot.Adapter} ({AdapterWord(slot.Adapter)})"));
        }

        if (sense is { } s)
        {
            Line("Entity sense", s.Status == 0 ? string.Create(CultureInfo.InvariantCulture,
                $"{SenseWord(s.Value)} ({s.Value})") : string.Create(CultureInfo.InvariantCulture, $"get-sensor-state failed: status {s.Status}"));
        }
    }

    private static string Detail(ConnectorEntry entry)
    {
        switch (entry.Kind)
        {
            case ConnectorKind.Cpu when entry.Owned:
                return string.Create(CultureInfo.InvariantCulture,
                    $"threads {string.Join(' ', entry.Threads.Select(t => t.Number))}, {entry.Threads.Count(t => t.Online)} online");
            case ConnectorKind.Memory when entry.Memory is { } memory:
                return !entry.Owned
                    ? string.Create(CultureInfo.InvariantCulture, $"0x{memory.Address:x}")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"0x{memory.Address:x}, {memory.Blocks.Count(b => b.Online)}/{memory.Blocks.Count} blocks " +
                            $"online{(memory.Removable ? ", removable" : string.Empty)}");
            case ConnectorKind.Phb when entry.Owned:
                return $"{entry.Nodes[0]}{(entry.Slots.Count == 0 ? string.Empty : ", slots " + string.Join(' ', entry.Slots))}";
            case ConnectorKind.Pci:
                string devices = entry.Nodes.Count == 0 ? "empty" : string.Join(' ', entry.Nodes);
                return entry.HotplugSlot is { } slot ? $"{devices}, power {(slot.Power ? "on" : "off")}" : devices;
            default:
                return entry.Nodes.Count == 0 ? string.Empty : string.Join(' ', entry.Nodes);
        }
    }

    public static string SenseWord(uint value) => value switch
    {
        0 => "empty",
        1 => "present",
        2 => "unusable",
        3 => "exchange",
        4 => "recovery",
        _ => "unknown",
    };

    private static string AdapterWord(int adapter) => adapter switch
    {
        0 => "empty",
        1 => "configured",
        2 => "not configured",
        _ => "unknown",
    };
}
