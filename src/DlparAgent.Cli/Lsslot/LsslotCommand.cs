using DlparAgent.Core.Failures;
using System.Globalization;
using System.Text;
using DlparAgent.Cli.Context;
using DlparAgent.Hosting;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Memory;
using DlparAgent.Core.Resources;

namespace DlparAgent.Cli.Lsslot;

/// <summary>
/// The lsslot personality (option string <c>"abc:d:F:ops:w:"</c>): connectors of a type in lsslot's
/// formats, with LMB names filled in (upstream prints them empty).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859",
    Justification = "Listings read the guest-kernel contract so the real backend can share them.")]
internal static class LsslotCommand
{
    private const string Usage = "Usage: lsslot [-c <slot|pci|phb|port|cpu|mem>] [-a | -o] [-b | -p] [-s <slot>] [-F <delimiter>] [-d <level>]";

    public static int Run(IReadOnlyList<string> args, CliContext context, string? stateDirectory, string? platform)
    {
        string type = "slot", selector = string.Empty;
        bool available = false, occupied = false, caches = false, cachesOnly = false;
        char? delimiter = null;
        int level = 0;
        uint lmbIndex = 0;
        try
        {
            for (int i = 0; i < args.Count; i++)
            {
                string arg = args[i];
                if (arg.Length < 2 || arg[0] != '-')
                {
                    throw new FormatException($"unexpected argument '{arg}'");
                }

                for (int k = 1; k < arg.Length; k++)
                {
                    char letter = arg[k];
                    if ("cdFsw".Contains(letter))
                    {
                        string value = k + 1 < arg.Length ? arg[(k + 1)..] : i + 1 < args.Count ? args[++i] : throw new FormatException($"option -{letter} " +
                            $"requires a value");
                        switch (letter)
                        {
                            case 'c': type = value; break;
                            case 's': selector = value; break;
                            case 'd': level = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture,
                                out int parsed) ? parsed : throw new FormatException($"invalid output level '{value}'"); break;
                            case 'F': delimiter = value.Length == 1 && value != "%" ? value[0] : throw new FormatException("the delimiter must be one " +
                                "character other than %"); break;
                        }

                        break;
                    }

                    switch (letter)
                    {
                        case 'a': available = true; break;
                        case 'o': occupied = true; break;
                        case 'b': caches = true; break;
                        case 'p': cachesOnly = true; break;
                        default: throw new FormatException($"invalid option -{letter}");
                    }
                }
            }

            if (!ResourceTable.Rows.Any(r => r.LsslotWord == type))
            {
                context.Out.WriteLine("The specified connector type is invalid.");
                context.Error.WriteLine(Usage);
                return 1;
            }

            // Unlike upstream (PU#115), -a and -o also filter logical slots, so 'lsslot -a' works without -c.
            bool optionMisfits = (available || occupied) && type is not ("pci" or "slot")
                || available && occupied
                || (caches || cachesOnly) && type != "cpu"
                || caches && cachesOnly
                || selector.Length > 0 && type == "cpu"
                || selector.Length > 0 && type == "mem" && !CNumber.TryParseU32(selector, out lmbIndex)
                || delimiter is not null && type is not ("slot" or "pci" or "port");
            if (optionMisfits)
            {
                throw new FormatException("an option does not go with this connector type");
            }
        }
        catch (FormatException error)
        {
            context.Error.WriteLine($"lsslot: {error.Message}");
            context.Error.WriteLine(Usage);
            return 1;
        }

        try
        {
            AgentHost host = context.Host("lsslot", platform, stateDirectory);

            // As upstream's lsslot, under the DR lock: a listing never shows an operation half done.
            using IDisposable held = host.DrLock.Acquire(null);
            using IBackend session = host.OpenBackend();
            IGuestKernel kernel = session.Kernel;
            DtNode tree = kernel.ReadDeviceTree();
            var catalog = DrcCatalog.FromTree(tree);
            var output = new StringBuilder();
            int code = type switch
            {
                "mem" => Memory(output, tree, catalog, kernel, selector.Length > 0 ? lmbIndex : null, level),
                "cpu" => Cpus(output, tree, catalog, kernel, caches, level),
                "pci" => PciSlots(output, tree, catalog, selector, available, occupied, delimiter),
                "phb" => Phbs(output, tree, catalog),
                "slot" => LogicalSlots(output, tree, catalog, selector, available, occupied, delimiter),
                _ => HeaPorts(output, catalog, selector, delimiter),
            };
            context.Out.Write(output.ToString());
            return code;
        }
        catch (Exception error) when (DlparAgentException.CategoryOf(error) is { } category)
        {
            context.Error.WriteLine($"lsslot: {error.Message}");
            return ExitCodeOf(category);
        }
    }

    /// <summary>lsslot's codes: 1 for a command line it cannot use (a platform it does not know), -1 for everything else.</summary>
    private static int ExitCodeOf(FailureCategory category) => category == FailureCategory.Usage ? 1 : 255;

    private static int Memory(StringBuilder output, DtNode tree, DrcCatalog catalog, IGuestKernel kernel, uint? only, int level)
    {
        var memory = DynamicReconfigurationMemory.FromTree(tree);
        if (memory is null)
        {
            return 255;
        }

        Dictionary<int, MemoryBlock> blocks = kernel.ReadMemoryBlocks().ToDictionary(b => b.Number);
        ulong blockSize = kernel.ReadMemoryBlockSize();
        ulong sectionsPerLmb = blockSize == 0 ? 0 : memory.LmbSize / blockSize;
        output.Append(CultureInfo.InvariantCulture, $"Dynamic Reconfiguration Memory (LMB size 0x{memory.LmbSize:x})\n");
        foreach (DynamicMemoryLmb lmb in memory.Lmbs.Where(l => l.IsDynamic && (only is null || l.DrcIndex == only)))
        {
            if (!lmb.IsAssigned && level < 4 && only is null)
            {
                continue;
            }

            string name = catalog.TryGetByIndex(lmb.DrcIndex, out DrcConnector c, out _) ? c.Name : string.Empty;
            int[] sections = [.. Enumerable.Range(0, (int)sectionsPerLmb).Select(k => (int)((lmb.BaseAddress / blockSize) + (ulong)k)).Reverse()];
            bool removable = lmb.IsAssigned && sections.All(s => blocks.TryGetValue(s, out MemoryBlock b) && b.Removable);
            string associativity = lmb.AssociativityIndex == 0xFFFFFFFF || memory.AssociativityLookup is not { } lookup
                || lmb.AssociativityIndex >= lookup.Count
                ? "Not Set"
                : string.Create(CultureInfo.InvariantCulture,
                    $"(index: {lmb.AssociativityIndex}) {string.Join(' ', memory.AssociativityLookup[(int)lmb.AssociativityIndex])}");
            output.Append(CultureInfo.InvariantCulture, $"{name}:{(lmb.IsAssigned ? string.Empty : " [Not Owned]")}\n");
            output.Append(CultureInfo.InvariantCulture, $"    DRC Index: {lmb.DrcIndex,-16:x}Address: {lmb.BaseAddress:x}\n");
            output.Append(CultureInfo.InvariantCulture, $"    Removable: {(removable ? "Yes" : "No"),-16}Associativity: {associativity}\n");
            output.Append(CultureInfo.InvariantCulture, $"    Section(s): {string.Join(", ", sections)}\n");
        }

        return 0;
    }

    private static int Cpus(StringBuilder output, DtNode tree, DrcCatalog catalog, IGuestKernel kernel, bool caches, int level)
    {
        DrcConnector[] cpus = [.. catalog.Containers.Where(c => c.Path == "/cpus").SelectMany(c => c.Connectors).Where(c => c.Type == "CPU")];
        if (cpus.Length == 0)
        {
            return 1;
        }

        output.Append(caches
            ? string.Create(CultureInfo.InvariantCulture,
                $"{"drc-name",-10}{"OFDT-node",-20}{"drc_index",-11}{"thread id(s)",-25}{"l2-cache",-15}{"l3-cache",-15}\n")
            : string.Create(CultureInfo.InvariantCulture, $"{"drc-name",-10}{"OFDT-node",-20}{"drc_index",-11}{"thread id(s)",-13}\n"));
        foreach (DrcConnector cpu in cpus)
        {
            DtNode? node = tree.Find("/cpus")!.Children.FirstOrDefault(n => n.GetUInt32("ibm,my-drc-index") == cpu.Index);
            if (node is null && level < 4)
            {
                continue;
            }

            uint[] servers = node?.GetProperty("ibm,ppc-interrupt-server#s")?.AsCells() ?? [];
            string threads = string.Concat(kernel.ReadCpuThreads().Where(t => servers.Contains(t.PhysicalId)).Select(t =>
                string.Create(CultureInfo.InvariantCulture, $"{t.Number,-2:x} ")));
            output.Append(CultureInfo.InvariantCulture, $"{cpu.Name,-10}{node?.Name ?? "--",-20}{cpu.Index,-11:x}");
            output.Append(caches ? string.Create(CultureInfo.InvariantCulture, $"{threads,-25}{"N/A",-15}{"N/A",-15}") : threads);
            output.Append('\n');
        }

        return 0;
    }

    private static int PciSlots(StringBuilder output, DtNode tree, DrcCatalog catalog, string selector, bool available, bool occupied, char? delimiter)
    {
        var rows = new List<(string Name, string Description, string[] Devices)>();
        foreach (DrcContainer container in catalog.Containers.Where(c => tree.Find(c.Path)?.BaseName == "pci"))
        {
            foreach (DrcConnector slot in container.Connectors.Where(c => c.IsPhysicalSlot && (selector.Length == 0 || c.Name == selector)))
            {
                string[] devices = [.. tree.Find(container.Path)!.Children.Where(n => n.GetUInt32("ibm,my-drc-index") == slot.Index).Select(n => n.Name)];
                if ((available && devices.Length > 0) || (occupied && devices.Length == 0))
                {
                    continue;
                }

                rows.Add((slot.Name, SlotDescription(slot.Type), devices.Length == 0 ? ["Empty"] : devices));
            }
        }

        if (rows.Count == 0)
        {
            return selector.Length > 0 ? 0 : 1;
        }

        int nameWidth = Math.Max("# Slot".Length, rows.Max(r => r.Name.Length)) + 2;
        int descWidth = Math.Max("Description".Length, rows.Max(r => r.Description.Length)) + 2;
        if (delimiter is null)
        {
            output.Append(CultureInfo.InvariantCulture, $"{"# Slot".PadRight(nameWidth)} {"Description".PadRight(descWidth)} Device(s)\n");
        }

        foreach ((string name, string description, string[] devices) in rows)
        {
            output.Append(delimiter is { } d
                ? $"{name}{d}{description}{d}{devices[0]}\n"
                : $"{name.PadRight(nameWidth)} {description.PadRight(descWidth)} {devices[0]}\n");
            foreach (string device in devices.Skip(1))
            {
                output.Append(CultureInfo.InvariantCulture, $"{string.Empty.PadRight(nameWidth)} {string.Empty.PadRight(descWidth)} {device}\n");
            }
        }

        return 0;
    }

    private static int Phbs(StringBuilder output, DtNode tree, DrcCatalog catalog)
    {
        DrcConnector[] phbs = [.. catalog.Containers.Where(c => c.Path == "/").SelectMany(c => c.Connectors).Where(c => c.Type == "PHB")];
        output.Append(CultureInfo.InvariantCulture, $"{"PHB name",-10}{"OFDT Name",-20} {"Slot(s) Connected"}\n");
        foreach (DrcConnector phb in phbs)
        {
            DtNode? node = tree.Children.FirstOrDefault(n => n.GetUInt32("ibm,my-drc-index") == phb.Index);
            if (node is null)
            {
                continue;
            }

            string[] slots = [.. (DrcCatalog.ReadContainer(node)?.Connectors ?? []).Where(c => node.Children.Any(n =>
                n.GetUInt32("ibm,my-drc-index") == c.Index)).Select(c => c.Name)];
            output.Append(CultureInfo.InvariantCulture, $"{phb.Name,-10}{node.Name,-20} {slots.FirstOrDefault() ?? string.Empty}\n");
            foreach (string slot in slots.Skip(1))
            {
                output.Append(CultureInfo.InvariantCulture, $"{string.Empty,-30} {slot}\n");
            }

            output.Append('\n');
        }

        return 0;
    }

    private static int LogicalSlots(StringBuilder output, DtNode tree, DrcCatalog catalog, string selector, bool available, bool occupied, char? delimiter)
    {
        var rows = new List<(string Name, string Description, string Linux, string Device)>();
        foreach (DrcContainer container in catalog.Containers)
        {
            foreach (DrcConnector slot in container.Connectors.Where(c => c.Type == "SLOT" && (selector.Length == 0 || c.Name == selector)))
            {
                DtNode? node = tree.Find(container.Path)?.Children.FirstOrDefault(n => n.GetUInt32("ibm,my-drc-index") == slot.Index);
                if (available && node is not null || occupied && node is null)
                {
                    continue;
                }

                rows.Add((slot.Name, container.Path == "/vdevice" ? "Virtual I/O Slot" : "Logical I/O Slot", node?.UnitAddress ?? "?",
                    node?.BaseName ?? "Empty"));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        int nameWidth = Math.Max("# Slot".Length, rows.Max(r => r.Name.Length)) + 2;
        int descWidth = Math.Max("Description".Length, rows.Max(r => r.Description.Length)) + 2;
        if (delimiter is null)
        {
            output.Append(CultureInfo.InvariantCulture, $"{"# Slot".PadRight(nameWidth)} {"Description".PadRight(descWidth)} {"Linux Name",-14}Device(s)\n");
        }

        foreach ((string name, string description, string linux, string device) in rows)
        {
            output.Append(delimiter is { } d
                ? $"{name}{d}{description}{d}{linux}{d}{device}\n"
                : string.Create(CultureInfo.InvariantCulture, $"{name.PadRight(nameWidth)} {description.PadRight(descWidth)} {linux,-14}{device}\n"));
        }

        return 0;
    }

    /// <summary>HEA ports (PowerVM only; QEMU has none), listed as name and description.</summary>
    private static int HeaPorts(StringBuilder output, DrcCatalog catalog, string selector, char? delimiter)
    {
        var ports = catalog.Containers.SelectMany(c => c.Connectors)
            .Where(c => c.Type.StartsWith("HEA", StringComparison.Ordinal) && (selector.Length == 0 || c.Name == selector))
            .ToList();
        if (ports.Count == 0)
        {
            return 0;
        }

        if (delimiter is null)
        {
            output.Append(CultureInfo.InvariantCulture, $"{"LHEA port name",-20}Description\n");
        }

        foreach (DrcConnector port in ports)
        {
            string description = port.Type == "HEA" ? "HEA I/O Slot" : "HEA Port I/O Slot";
            output.Append(delimiter is { } d ? $"{port.Name}{d}{description}\n" : string.Create(CultureInfo.InvariantCulture,
                $"{port.Name,-20}{description}\n"));
        }

        return 0;
    }

    /// <summary>drmgr's slot-type messages for the numeric PCI types QEMU and PowerVM use most.</summary>
    private static string SlotDescription(string type) => type switch
    {
        "28" => "PCI-E capable, Rev 2, 8x lanes",
        "27" => "PCI-E capable, Rev 2, 4x lanes",
        "29" => "PCI-E capable, Rev 2, 16x lanes",
        _ => type.All(char.IsAsciiDigit) ? $"PCI slot type {type}" : "Unknown slot type",
    };
}
