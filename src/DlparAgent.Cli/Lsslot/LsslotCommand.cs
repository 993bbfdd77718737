using DlparAgent.Core.Failures;
using System.Globalization;
using System.Diagnostics;
using DlparAgent.Core.Inventory;
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
    /// <summary>The root property that marks a logical partition (PowerVM sets it; QEMU does not).</summary>
    private const string LparCapable = "ibm,lpar-capable";

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
            context.Error.WriteLine($"lsslot: {IoFailures.Message(error)}");
            context.Error.WriteLine(Usage);
            return 1;
        }

        try
        {
            AgentHost host = context.Host("lsslot", platform, stateDirectory);

            // As upstream's lsslot, under the DR lock: a listing never shows an operation half done.
            using IDisposable held = host.DrLock.Acquire(null);
            using IBackend session = host.OpenBackend();
            session.CatchUpToLook();
            ConnectorKind kind = ResourceTable.Rows.First(r => r.LsslotWord == type).Kind;
            DtNode tree = session.Kernel.ReadDeviceTree();
            if (kind == ConnectorKind.Cpu && tree.GetProperty(LparCapable) is null)
            {
                // As lsslot: CPU connectors mean something only on an LPAR (QEMU's pseries is not one).
                context.Error.Write("\nThe system is not LPAR.\n\n");
                return 1;
            }

            var inventory = ConnectorInventory.Read(session.Kernel, kind, tree);
            TextWriter output = context.Out;
            int code = kind switch
            {
                ConnectorKind.Memory => LsslotListing.Memory(output, inventory, selector.Length > 0 ? lmbIndex : null, level),
                ConnectorKind.Cpu => LsslotListing.Cpus(output, inventory, caches, level),
                ConnectorKind.Pci => LsslotListing.PciSlots(output, inventory, selector, available, occupied, delimiter),
                ConnectorKind.Phb => LsslotListing.Phbs(output, inventory),
                ConnectorKind.Slot => LsslotListing.LogicalSlots(output, inventory, selector, available, occupied, delimiter),
                ConnectorKind.Port => LsslotListing.HeaPorts(output, inventory, selector, delimiter),
                _ => throw new UnreachableException($"lsslot lists no {kind} connectors"),
            };
            return code;
        }
        catch (Exception error) when (DlparAgentException.CategoryOf(error) is { } category)
        {
            context.Error.WriteLine($"lsslot: {IoFailures.Message(error)}");
            return ExitCodeOf(category);
        }
    }

    /// <summary>lsslot's codes: 1 for a command line it cannot use (a platform it does not know), -1 for everything else.</summary>
    private static int ExitCodeOf(FailureCategory category) => category == FailureCategory.Usage ? 1 : 255;
}
