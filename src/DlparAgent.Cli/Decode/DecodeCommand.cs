using System.Globalization;
using System.CommandLine;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Requests;

namespace DlparAgent.Cli.Decode;

/// <summary><c>dlpar decode fdt|event|request</c>: read the agent's wire formats without touching any system.</summary>
internal static class DecodeCommand
{
    public static Command Create(CliContext context, GlobalOptions g)
    {
        Option<bool> json = g.Json;

        var fdtFile = new Argument<string>("FILE") { Description = "A flattened device tree (dtb), or - for standard input" };
        var fdt = new Command("fdt", "Show the DRC connectors and the dynamic-memory LMB table of a device tree") { fdtFile };
        fdt.SetAction(result =>
        {
            string file = result.GetValue(fdtFile)!;
            FdtReport report = FdtReport.Read(InputFile.ReadAll(file, context));
            if (result.GetValue(json))
            {
                report.WriteJson(context.Out, file);
            }
            else
            {
                report.WriteText(context.Out, file);
            }

            return ExitCodes.Success;
        });

        var eventFile = new Argument<string>("FILE") { Description = "An RTAS event log or rtasd records, binary or hex text, or - for standard input" };
        var rtasd = new Option<bool>("--rtasd") { Description = "Read the input as rtasd error-log records (sequence number + log)" };
        var slotSize = new Option<int>("--slot-size")
        {
            Description = "Bytes per rtasd record: rtas-error-log-max + 4, or 0 for packed records",
            DefaultValueFactory = _ => RtasdRecordCodec.DefaultSlotSize,
        };
        slotSize.Validators.Add(r =>
        {
            // A word that is no number has its parse error already; reading the value would throw.
            if (r.Tokens is [{ } token] && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                && value != 0 && value < 12)
            {
                r.AddError("--slot-size must be 0 or at least 12");
            }
        });
        var bigEndian = new Option<bool>("--big-endian-sequence") { Description = "The records come from a big-endian (ppc64) host" };
        var eventCommand = new Command("event", "Decode an RTAS event log or a stream of rtasd records") { eventFile, rtasd, slotSize, bigEndian };
        eventCommand.SetAction(result =>
        {
            byte[] input = InputFile.ReadAll(result.GetValue(eventFile)!, context);
            EventReport report = EventReport.Read(input, result.GetValue(rtasd), result.GetValue(slotSize), !result.GetValue(bigEndian));
            if (result.GetValue(json))
            {
                report.WriteJson(context.Out);
            }
            else
            {
                report.WriteText(context.Out);
            }

            return ExitCodes.Success;
        });

        var text = new Argument<string>("REQUEST") { Description = "\"<resource> <action> <id_type> <id>\", e.g. \"memory add count 4\"" };
        var request = new Command("request", "Parse a request and say whether /sys/kernel/dlpar would accept it") { text };
        request.SetAction(result =>
        {
            ParsedRequest parsed = RequestGrammar.Parse(result.GetValue(text)!);
            if (result.GetValue(json))
            {
                RequestReport.WriteJson(context.Out, parsed);
            }
            else
            {
                RequestReport.WriteText(context.Out, parsed);
            }

            return ExitCodes.Success;
        });

        return new Command("decode", "Decode device trees, RTAS event logs and DLPAR requests") { fdt, eventCommand, request };
    }
}
