using System.Globalization;
using System.Text;
using DlparAgent.Core.Inventory;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Cli.Lsslot;

/// <summary>
/// lsslot's output formats over the connector inventory: the inventory decides ownership,
/// removability, threads and occupancy; this class only lays them out as lsslot does.
/// Each method writes straight to the output (a 64 TiB partition lists 262,144 LMBs) and returns lsslot's exit code.
/// </summary>
internal static class LsslotListing
{
    private const string CpuContainer = "/cpus";

    /// <summary>LMBs the partition owns (all with <paramref name="level"/> 4, or only the one selected), in address order.</summary>
    public static int Memory(TextWriter output, ConnectorInventory inventory, uint? only, int level)
    {
        ConnectorEntry[] lmbs = [.. inventory.Entries.Where(e => e.Memory is { Dynamic: true } && (only is null || e.Connector.Index == only))
            .OrderBy(e => e.Memory!.Address)];
        if (lmbs.Length == 0 && inventory.Entries.All(e => e.Memory is null))
        {
            // No ibm,dynamic-reconfiguration-memory: nothing lsslot could list.
            return 255;
        }

        ulong lmbSize = lmbs.Length > 0 ? lmbs[0].Memory!.Size : inventory.Entries.First(e => e.Memory is not null).Memory!.Size;
        output.Write(string.Create(CultureInfo.InvariantCulture, $"Dynamic Reconfiguration Memory (LMB size 0x{lmbSize:x})\n"));
        // One builder, handed to the output every few hundred LMBs: no string per field or line.
        var text = new StringBuilder();
        foreach (ConnectorEntry lmb in lmbs)
        {
            if (!lmb.Owned && level < 4 && only is null)
            {
                continue;
            }

            MemoryDetails memory = lmb.Memory!;
            text.Append(CultureInfo.InvariantCulture, $"{lmb.Connector.Name}:{(lmb.Owned ? string.Empty : " [Not Owned]")}\n");
            text.Append(CultureInfo.InvariantCulture, $"    DRC Index: {lmb.Connector.Index,-16:x}Address: {memory.Address:x}\n");
            text.Append(CultureInfo.InvariantCulture, $"    Removable: {(lmb.Owned && memory.Removable ? "Yes" : "No"),-16}Associativity: ");
            if (memory is { AssociativityIndex: { } index, Associativity: { } domains })
            {
                text.Append(CultureInfo.InvariantCulture, $"(index: {index}) ").AppendJoin(' ', domains);
            }
            else
            {
                text.Append("Not Set");
            }

            text.Append("\n    Section(s): ");
            for (int k = memory.BlockCount - 1; k >= 0; k--)
            {
                text.Append(memory.FirstBlock + (ulong)k).Append(k > 0 ? ", " : string.Empty);
            }

            text.Append('\n');
            if (text.Length > 1 << 16)
            {
                output.Write(text);
                text.Clear();
            }
        }

        output.Write(text);
        return 0;
    }

    /// <summary>CPU connectors of <c>/cpus</c>, with the logical CPUs (hex) of each present core; <paramref name="level"/> 4 adds absent ones.</summary>
    public static int Cpus(TextWriter output, ConnectorInventory inventory, bool caches, int level)
    {
        ConnectorEntry[] cpus = [.. inventory.OfKind(ConnectorKind.Cpu).Where(e => e.Container == CpuContainer)];
        if (cpus.Length == 0)
        {
            return 1;
        }

        output.Write(caches
            ? string.Create(CultureInfo.InvariantCulture,
                $"{"drc-name",-10}{"OFDT-node",-20}{"drc_index",-11}{"thread id(s)",-25}{"l2-cache",-15}{"l3-cache",-15}\n")
            : string.Create(CultureInfo.InvariantCulture, $"{"drc-name",-10}{"OFDT-node",-20}{"drc_index",-11}{"thread id(s)",-13}\n"));
        foreach (ConnectorEntry cpu in cpus)
        {
            string? node = ChildOf(cpu, CpuContainer);
            if (node is null && level < 4)
            {
                continue;
            }

            string threads = string.Concat(cpu.Threads.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Number,-2:x} ")));
            output.Write(string.Create(CultureInfo.InvariantCulture, $"{cpu.Connector.Name,-10}{node ?? "--",-20}{cpu.Connector.Index,-11:x}"));
            output.Write(caches ? string.Create(CultureInfo.InvariantCulture, $"{threads,-25}{"N/A",-15}{"N/A",-15}") : threads);
            output.Write('\n');
        }

        return 0;
    }

    /// <summary>PCI slots of the PHBs (nodes named <c>pci</c>), with their adapters' PCI addresses (or node names) or <c>Empty</c>.</summary>
    public static int PciSlots(TextWriter output, ConnectorInventory inventory, string selector, bool available, bool occupied, char? delimiter)
    {
        var rows = new List<(string Name, string Description, string[] Devices)>();
        foreach (ConnectorEntry slot in inventory.OfKind(ConnectorKind.Pci).Where(e => BaseName(NodeName(e.Container)) == "pci"
            && (selector.Length == 0 || e.Connector.Name == selector)))
        {
            // As lsslot: a function by the PCI address the kernel gave it, else by its node's name.
            string[] devices = [.. slot.Nodes.Where(n => ParentOf(n) == slot.Container).Select(n => slot.PciDevices.GetValueOrDefault(n) ?? NodeName(n))];
            if ((available && devices.Length > 0) || (occupied && devices.Length == 0))
            {
                continue;
            }

            rows.Add((slot.Connector.Name, PciSlotTypes.Describe(slot.Connector.Type), devices.Length == 0 ? ["Empty"] : devices));
        }

        if (rows.Count == 0)
        {
            return selector.Length > 0 ? 0 : 1;
        }

        // lsslot sorts by location code and pads each column to its widest entry plus two.
        rows.Sort((a, b) => LocationCodeOrder.Compare(a.Name, b.Name));
        int nameWidth = Math.Max("# Slot".Length, rows.Max(r => r.Name.Length)) + 2;
        int descWidth = Math.Max("Description".Length, rows.Max(r => r.Description.Length)) + 2;
        if (delimiter is null)
        {
            output.Write($"{"# Slot".PadRight(nameWidth)}{"Description".PadRight(descWidth)}Device(s)\n");
        }

        foreach ((string name, string description, string[] devices) in rows)
        {
            output.Write(delimiter is { } d
                ? $"{name}{d}{description}{d}{devices[0]}\n"
                : $"{name.PadRight(nameWidth)}{description.PadRight(descWidth)}{devices[0]}\n");
            foreach (string device in devices.Skip(1))
            {
                output.Write($"{string.Empty.PadRight(nameWidth)}{string.Empty.PadRight(descWidth)}{device}\n");
            }
        }

        return 0;
    }

    /// <summary>
    /// PHBs the partition owns, each with its connected slots one per line: every hotplug slot of
    /// the PHB, and its logical slots the partition owns. drmgr builds both lists by prepending,
    /// so they come out in reverse device-tree order.
    /// </summary>
    public static int Phbs(TextWriter output, ConnectorInventory inventory)
    {
        output.Write($"{"PHB name",-10}{"OFDT Name",-20} {"Slot(s) Connected"}\n");
        foreach (ConnectorEntry phb in inventory.OfKind(ConnectorKind.Phb).Where(e => e.Container == "/").Reverse())
        {
            if (phb.Nodes.FirstOrDefault(n => ParentOf(n) == "/") is not { } path)
            {
                continue;
            }

            string[] slots = [.. phb.Children.Where(c => c.Connector.IsPhysicalSlot || c.Owned).Reverse().Select(c => c.Connector.Name)];
            output.Write($"{phb.Connector.Name,-10}{path,-20} ");
            output.Write(slots.Length == 0 ? "\n\n" : $"{slots[0]}\n");
            foreach (string slot in slots.Skip(1))
            {
                output.Write($"{string.Empty,-30} {slot}\n");
            }

            if (slots.Length > 0)
            {
                output.Write('\n');
            }
        }

        return 0;
    }

    /// <summary>Logical and virtual I/O slots, with the unit address and name of what they hold.</summary>
    public static int LogicalSlots(TextWriter output, ConnectorInventory inventory, string selector, bool available, bool occupied, char? delimiter)
    {
        var rows = new List<(string Name, string Description, string Linux, string Device)>();
        foreach (ConnectorEntry slot in inventory.OfKind(ConnectorKind.Slot).Where(e => selector.Length == 0 || e.Connector.Name == selector))
        {
            string? node = ChildOf(slot, slot.Container);
            if (available && node is not null || occupied && node is null)
            {
                continue;
            }

            rows.Add((slot.Connector.Name, slot.Container == "/vdevice" ? "Virtual I/O Slot" : "Logical I/O Slot",
                node is null ? "?" : UnitAddress(node) ?? "?", node is null ? "Empty" : BaseName(node)));
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        int nameWidth = Math.Max("# Slot".Length, rows.Max(r => r.Name.Length)) + 2;
        int descWidth = Math.Max("Description".Length, rows.Max(r => r.Description.Length)) + 2;
        if (delimiter is null)
        {
            output.Write($"{"# Slot".PadRight(nameWidth)} {"Description".PadRight(descWidth)} {"Linux Name",-14}Device(s)\n");
        }

        foreach ((string name, string description, string linux, string device) in rows)
        {
            output.Write(delimiter is { } d
                ? $"{name}{d}{description}{d}{linux}{d}{device}\n"
                : $"{name.PadRight(nameWidth)} {description.PadRight(descWidth)} {linux,-14}{device}\n");
        }

        return 0;
    }

    /// <summary>HEA ports (PowerVM only; QEMU has none), listed as name and description.</summary>
    public static int HeaPorts(TextWriter output, ConnectorInventory inventory, string selector, char? delimiter)
    {
        ConnectorEntry[] ports = [.. inventory.OfKind(ConnectorKind.Port).Where(e => selector.Length == 0 || e.Connector.Name == selector)];
        if (ports.Length == 0)
        {
            // As lsslot: no HEA port at all is a failure of the listing.
            return 1;
        }

        if (delimiter is null)
        {
            output.Write($"{"LHEA port name",-20}Description\n");
        }

        foreach (ConnectorEntry port in ports)
        {
            string description = port.Connector.Type == "HEA" ? "HEA I/O Slot" : "HEA Port I/O Slot";
            output.Write(delimiter is { } d ? $"{port.Connector.Name}{d}{description}\n" : $"{port.Connector.Name,-20}{description}\n");
        }

        return 0;
    }

    /// <summary>The name of the entry's node that is a child of <paramref name="container"/>, if it has one.</summary>
    private static string? ChildOf(ConnectorEntry entry, string container) =>
        entry.Nodes.FirstOrDefault(n => ParentOf(n) == container) is { } path ? NodeName(path) : null;

    private static string ParentOf(string path) => path.LastIndexOf('/') is var slash and > 0 ? path[..slash] : "/";

    private static string NodeName(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static string BaseName(string name) => name.IndexOf('@') is var at and >= 0 ? name[..at] : name;

    private static string? UnitAddress(string name) => name.IndexOf('@') is var at and >= 0 ? name[(at + 1)..] : null;
}
