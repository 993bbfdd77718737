using DlparAgent.Core.Failures;
using System.CommandLine;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Engine;
using DlparAgent.Hosting;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Resources;
using DlparAgent.Core.Tracing;
using System.Runtime.InteropServices;

namespace DlparAgent.Cli.Agent;

/// <summary>
/// The agent's own commands on the emulated partition: <c>add</c>, <c>remove</c>, <c>request</c>
/// and <c>recover</c>. The guest first takes its pending interrupts, as a running Linux would have.
/// </summary>
internal static class AgentCommands
{
    public static IEnumerable<Command> Create(CliContext context, GlobalOptions g)
    {
        yield return AddOrRemove(context, g, DlparAction.Add);
        yield return AddOrRemove(context, g, DlparAction.Remove);
        yield return Request(context, g);
        yield return Recover(context, g);
        yield return Capabilities(context, g);
        yield return SetCommand.Create(context, g);
    }

    private static Command AddOrRemove(CliContext context, GlobalOptions g, DlparAction action)
    {
        var resource = new Argument<string>("RESOURCE") { Description = string.Join(", ", ResourceTable.Rows.Where(r => r.HasHandler).Select(r => r.Word)) };
        resource.AcceptOnlyFromAmong([.. ResourceTable.EngineWords]);
        var count = new Option<string?>("--count") { Description = "How many connectors" };
        var index = new Option<string?>("--index") { Description = "One connector by DRC index (0x…)" };
        var name = new Option<string?>("--name") { Description = "One connector by DRC name, e.g. \"CPU 8\"" };
        var indexed = new Option<string[]>("--indexed-count") { Description = "N connectors from a first index (memory): N 0xI", Arity = new ArgumentArity(2,
            2), AllowMultipleArgumentsPerToken = true };
        Option<int?> timeout = Timeout();
        Option<bool> dryRun = DryRun();
        var command = new Command(action == DlparAction.Add ? "add" : "remove",
            action == DlparAction.Add ? "Add resources to the partition" : "Remove resources from the partition")
        {
            resource, count, index, name, indexed, timeout, dryRun,
        };
        command.SetAction(r =>
        {
            string[] chosen = [.. new[] { ("--count", r.GetValue(count)), ("--index", r.GetValue(index)), ("--name", r.GetValue(name)), ("--indexed-count",
                r.GetValue(indexed) is { Length: 2 } pair ? string.Join(' ', pair) : null) }
                .Where(o => o.Item2 is not null).Select(o => o.Item1)];
            if (chosen.Length != 1)
            {
                throw new CliException(FailureCategory.Usage, "give exactly one of --count, --index, --name or --indexed-count");
            }

            DlparTarget target = chosen[0] switch
            {
                "--count" => new DlparTarget.ByCount(ArgumentParsing.Number(r.GetValue(count)!, "--count")),
                "--index" => new DlparTarget.ByIndex(ArgumentParsing.Number(r.GetValue(index)!, "--index")),
                "--name" => new DlparTarget.ByName(r.GetValue(name)!),
                _ => new DlparTarget.ByIndexedCount(ArgumentParsing.Number(r.GetValue(indexed)![0], "--indexed-count"),
                    ArgumentParsing.Number(r.GetValue(indexed)![1], "--indexed-count")),
            };

            // The request goes through the grammar, so every front end enforces the same rules.
            var request = new DlparRequest(ResourceTable.ByWord(r.GetValue(resource)!)!.Resource!.Value, action, target);
            ParsedRequest parsed = RequestGrammar.Parse(request.ToString());
            return Execute(context, r, g, [parsed.Request], r.GetValue(timeout), r.GetValue(dryRun));
        });
        return command;
    }

    private static Command Request(CliContext context, GlobalOptions g)
    {
        var text = new Argument<string?>("REQUEST") { Description = "\"<resource> <action> <id_type> <id>\"; without it, one request per line on " +
            "stdin", Arity = ArgumentArity.ZeroOrOne };
        Option<int?> timeout = Timeout();
        Option<bool> dryRun = DryRun();
        var command = new Command("request",
            "Execute requests written in the /sys/kernel/dlpar grammar (handed to the kernel where it accepts them)") { text, timeout, dryRun };
        command.SetAction(r =>
        {
            List<string> lines = r.GetValue(text) is { } one ? [one] : ReadLines(context);
            var requests = new List<DlparRequest>();
            foreach (string line in lines.Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')))
            {
                requests.Add(RequestGrammar.Parse(line).Request);
            }

            if (requests.Count == 0)
            {
                throw new CliException(FailureCategory.Usage, "no request given");
            }

            return Execute(context, r, g, requests, r.GetValue(timeout), r.GetValue(dryRun));
        });
        return command;
    }

    private static Command Capabilities(CliContext context, GlobalOptions g)
    {
        var command = new Command("capabilities", "Which DLPAR operations this partition supports (drmgr -C's checks)");
        command.SetAction(r =>
        {
            using IBackend session = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir)).OpenBackend();
            session.CatchUpToLook();
            IReadOnlyList<DlparCapability> capabilities = DlparCapabilities.Of(session.Kernel);
            if (r.GetValue(g.Json))
            {
                var byKey = new Dictionary<string, bool>(StringComparer.Ordinal);
                capabilities.ToList().ForEach(c => byKey[c.Key] = c.Supported);
                JsonOutput.Write(context.Out, new CapabilitiesDocument(byKey), JsonOutput.Documents.CapabilitiesDocument);
            }
            else
            {
                foreach (DlparCapability capability in capabilities)
                {
                    context.Out.WriteLine($"{capability.Label + ":",-21} {(capability.Supported ? "yes" : "no")}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Recover(CliContext context, GlobalOptions g)
    {
        var discard = new Option<bool>("--discard")
        {
            Description = "Drop the journal, damaged or not, without settling anything (after checking the partition by hand)",
        };
        var command = new Command("recover", "Finish or roll back an operation a crash interrupted") { discard };
        command.SetAction(r =>
        {
            AgentHost host = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir));

            // The DR lock before the machine, the order drmgr and dlpard take them in.
            using IDisposable held = host.DrLock.Acquire(null);
            using IBackend session = host.OpenBackend();
            DlparEngine engine = host.CreateEngine(session, EngineOptionsFor(null, null));
            IReadOnlyList<string> report = r.GetValue(discard) ? Discarded(engine.DiscardJournal()) : engine.Recover();
            session.Save();
            if (r.GetValue(g.Json))
            {
                JsonOutput.Write(context.Out, new RecoverDocument(report), JsonOutput.Documents.RecoverDocument);
            }
            else
            {
                context.Out.WriteLine(report.Count == 0 ? "nothing to recover" : string.Join(Environment.NewLine, report));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What <c>recover --discard</c> dropped: one line per damaged line, one per operation, and the total.</summary>
    private static List<string> Discarded(IReadOnlyList<JournalRecord> records)
    {
        var report = new List<string>();
        foreach (JournalRecord record in records)
        {
            if (record.Kind == JournalRecordKind.Damaged)
            {
                report.Add($"discarded damaged line {record.Operation}: {record.Text}");
            }
            else if (record.Kind == JournalRecordKind.Begin)
            {
                report.Add($"discarded operation {record.Operation} ({record.Text}) without settling it");
            }
        }

        report.Add($"discarded the journal ({records.Count} records); nothing was settled");
        return report;
    }

    private static int Execute(CliContext context, ParseResult r, GlobalOptions g, List<DlparRequest> requests, int? timeout, bool dryRun)
    {
        bool json = r.GetValue(g.Json);
        AgentHost host = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir));
        EngineOptions options = EngineOptionsFor(timeout, null);

        // The DR lock before the machine, the order drmgr and dlpard take them in; the engine takes it
        // again for each request. A dry run works on a copy and takes no lock.
        using IDisposable? held = dryRun ? null : host.DrLock.Acquire(options.Timeout);
        using IBackend session = host.OpenBackend();
        if (dryRun && !session.CanDryRun)
        {
            throw new CliException(FailureCategory.Unavailable,
                "--dry-run needs the emulated platform: real firmware cannot answer without acting (try it on an emulated copy with --platform emulated)");
        }

        session.CatchUp();

        // A dry run works on the loaded copy of the partition and is never saved: what it prints
        // is what the firmware and the kernel would be asked, answers included, recovery of an
        // interrupted operation too (its journal is copied, not used).
        OperationTrace? trace = dryRun ? new OperationTrace() : null;
        IJournal journal = host.OpenJournal();
        if (trace is not null)
        {
            var copy = new MemoryJournal();
            foreach (JournalRecord record in journal.ReadAll())
            {
                copy.Append(record);
            }

            journal = copy;
        }

        using var progress = new ProgressBar(context.Error, context.ErrorIsTerminal && !dryRun, context.Clock, context.ProgressDelay);
        DlparEngine engine = host.CreateEngine(session, options with { Progress = progress }, trace: trace, journal: journal);
        using var cancellation = new CancellationTokenSource();
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Cancel(c, cancellation));
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Cancel(c, cancellation));
        var results = new List<DlparResult>();
        string? refusal = null;
        try
        {
            foreach (DlparRequest request in requests)
            {
                results.Add(engine.Execute(request, cancellation.Token));
                if (cancellation.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        catch (DlparException error)
        {
            refusal = error.Message;
        }
        finally
        {
            progress.Dispose();
            if (trace is null)
            {
                session.Save();
            }
        }

        if (json)
        {
            var document = new AgentRunDocument(dryRun, [.. results.Select(ResultDocument.From)], refusal)
            {
                Calls = trace is null ? null : [.. trace.Steps.Select(TraceStepDocument.From)],
            };
            JsonOutput.Write(context.Out, document, JsonOutput.Documents.AgentRunDocument);
        }
        else
        {
            if (trace is not null)
            {
                context.Out.WriteLine("dry run: nothing was changed; these calls would be made:");
                foreach (TraceStep step in trace.Steps)
                {
                    context.Out.WriteLine($"  {step}");
                }
            }

            results.ForEach(result => ResultReport.WriteText(context.Out, result));
        }

        if (refusal is not null)
        {
            if (json)
            {
                // The document above already carries the refusal; one document per run.
                context.Error.WriteLine($"dlpar: {refusal}");
                return ExitCodes.Refused;
            }

            throw new CliException(FailureCategory.Refused, refusal);
        }

        // A signal after the last request finished interrupted nothing.
        if (results.Any(r => r.Interrupted) || results.Count < requests.Count)
        {
            context.Error.WriteLine(requests.Count > results.Count
                ? $"dlpar: interrupted; {requests.Count - results.Count} later request(s) not started"
                : "dlpar: interrupted");
            return ExitCodes.Of(FailureCategory.Interrupted);
        }

        return results.All(r => r.Complete) ? ExitCodes.Success : ExitCodes.Refused;
    }

    private static EngineOptions EngineOptionsFor(int? timeoutMinutes, IProgress<DlparProgress>? progress) => new()
    {
        Timeout = timeoutMinutes is > 0 ? TimeSpan.FromMinutes(timeoutMinutes.Value) : null,
        Progress = progress,
    };

    private static void Cancel(PosixSignalContext signal, CancellationTokenSource cancellation)
    {
        // Finish the connector in hand, stop before the next one, save and report.
        signal.Cancel = true;
        cancellation.Cancel();
    }

    private static List<string> ReadLines(CliContext context)
    {
        using StreamReader reader = InputFile.OpenStandardInputText(context);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static Option<int?> Timeout() => new("--timeout") { Description = "Minutes; checked between connectors (drmgr's -w)" };

    private static Option<bool> DryRun() => new("--dry-run") { Description = "Print the RTAS calls and kernel writes the operation would make, on a copy of " +
        "the partition; change nothing" };

}
