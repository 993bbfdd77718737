using DlparAgent.Hosting;
using DlparAgent.Core.Resources;
using DlparAgent.Core.Failures;
using System.CommandLine;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Inventory;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Cli.Inventory;

/// <summary><c>dlpar list [TYPE]</c> and <c>dlpar show DRC</c>: the partition's connectors as the OS sees them.</summary>
internal static class InventoryCommands
{
    private static readonly string[] TypeWords = ["all", .. ResourceTable.ListingWords, "other"];

    public static IEnumerable<Command> Create(CliContext context, GlobalOptions g)
    {
        yield return List(context, g);
        yield return Show(context, g);
    }

    private static Command List(CliContext context, GlobalOptions g)
    {
        var type = new Argument<string>("TYPE") { Description = "all, cpu, memory, pci, phb, slot, pmem or port", DefaultValueFactory = _ => "all" };
        type.AcceptOnlyFromAmong(TypeWords);
        var owned = new Option<bool>("--owned") { Description = "Only connectors whose resource the partition has" };
        var free = new Option<bool>("--free") { Description = "Only connectors whose resource the partition does not have" };
        var firmware = new Option<bool>("--firmware") { Description = "Ask the firmware for each connector's entity sense too (one RTAS call each)" };
        var command = new Command("list",
            "List the partition's connectors of a type: index, name, DRC type, owned or free, and what the OS has made of them")
        {
            type, owned, free, firmware,
        };
        command.SetAction(r =>
        {
            if (r.GetValue(owned) && r.GetValue(free))
            {
                throw new CliException(FailureCategory.Usage, "--owned and --free exclude each other");
            }

            using IBackend session = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir)).OpenBackend();
            session.CatchUpToLook();
            string word = r.GetValue(type)!;
            bool onlyOwned = r.GetValue(owned), onlyFree = r.GetValue(free);
            IEnumerable<ConnectorEntry> entries = ConnectorInventory.ReadStreamed(session.Kernel, word == "all" ? null : ConnectorKinds.Parse(word)!.Value)
                .Where(e => !(onlyOwned && !e.Owned) && !(onlyFree && e.Owned));
            bool sensed = r.GetValue(firmware);
            if (r.GetValue(g.Json))
            {
                JsonOutput.WriteList(context.Out, "connectors", entries.Select(e => ConnectorDocument.From(e, sensed ? Sense(session, e) : null)),
                    JsonOutput.Documents.ConnectorDocument);
            }
            else
            {
                List<ConnectorEntry> listed = [.. entries];
                InventoryReport.WriteTable(context.Out, listed, sensed ? [.. listed.Select(e => Sense(session, e))] : null);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliContext context, GlobalOptions g)
    {
        var drc = new Argument<string>("DRC") { Description = "DRC name (\"CPU 2\", \"LMB 9\", \"C3\", a location code) or index (0x…)" };
        var noFirmware = new Option<bool>("--no-firmware") { Description = "Do not ask the firmware for the connector's entity sense" };
        var command = new Command("show", "Show one connector: what the firmware lists, what the OS has, and the firmware's sense") { drc, noFirmware };
        command.SetAction(r =>
        {
            using IBackend session = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir)).OpenBackend();
            session.CatchUpToLook();
            string wanted = r.GetValue(drc)!;
            ConnectorEntry entry = ConnectorInventory.Read(session.Kernel).Find(wanted)
                ?? throw new CliException(FailureCategory.NoInput, $"no connector '{wanted}' (by DRC name or index); see 'dlpar list'");

            (int, uint)? sense = r.GetValue(noFirmware) ? null : Sense(session, entry);

            if (r.GetValue(g.Json))
            {
                JsonOutput.Write(context.Out, ConnectorDocument.From(entry, sense), JsonOutput.Documents.ConnectorDocument);
            }
            else
            {
                InventoryReport.WriteDetails(context.Out, entry, sense);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>get-sensor-state only reads; the answer is the firmware's, not the OS's, view.</summary>
    private static (int Status, uint Value) Sense(IBackend session, ConnectorEntry entry)
    {
        RtasResult answer = session.Rtas.GetSensorState(DrIndicators.EntitySense, entry.Connector.Index);
        return (answer.Status.Value, answer.Value);
    }
}
