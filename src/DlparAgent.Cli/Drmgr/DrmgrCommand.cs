using DlparAgent.Core.Failures;
using DlparAgent.Cli.Agent;
using System.Globalization;
using System.Runtime.InteropServices;
using DlparAgent.Cli.Context;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Resources;
using DlparAgent.Core.Tracing;
using DlparAgent.Hosting;

namespace DlparAgent.Cli.Drmgr;

/// <summary>
/// The drmgr personality: drmgr's options, outputs and exit codes over the agent's engine.
/// Memory prints <c>DR_TOTAL_RESOURCES=N</c>; CPUs print one DRC name per line; queries answer
/// with exit codes 3, 4, 1 or 6. Nothing runs unless the whole command line is valid.
/// </summary>
internal static class DrmgrCommand
{
    /// <summary>How long one administrator hook may run before it is killed.</summary>
    private static readonly TimeSpan HookTimeout = TimeSpan.FromSeconds(60);

    /// <summary>drmgr's -c words that name no resource of the table (partition-wide operations and HEA ports).</summary>
    private static readonly string[] OtherTypes = ["port", "phib", "pmig", "acc"];

    /// <summary>drmgr's limit for each operation of a PRRN event (PRRN_TIMEOUT, in seconds).</summary>
    private static readonly TimeSpan PrrnTimeout = TimeSpan.FromSeconds(30);

    public static int Run(IReadOnlyList<string> args, CliContext context, string? stateDirectory, string? platform)
    {
        DrmgrOptions options;
        try
        {
            options = DrmgrOptions.Parse(args);
        }
        catch (FormatException error)
        {
            context.Error.WriteLine(IoFailures.Message(error));
            DrmgrUsage.Write(context.Error, null);
            return DrmgrExitCodes.Failure;
        }

        if (options.Empty || options.Help)
        {
            DrmgrUsage.Write(context.Error, options.ConnectorType);
            return DrmgrExitCodes.Success;
        }

        // Sessions are logged under the lock (.NET has no O_APPEND, so two writers would overwrite
        // each other); what is said before the lock is held goes to the log afterwards. A command
        // refused before it gets the lock logs its few lines without it.
        var beforeLock = new StringWriter { NewLine = "\n" };
        var earlyMessages = new TeeTextWriter(context.Error, beforeLock);
        AgentHost host;
        try
        {
            host = AgentHost.Resolve("drmgr", platform, stateDirectory, context.AgentEnvironment(), earlyMessages);
        }
        catch (HostingException error)
        {
            context.Error.WriteLine($"drmgr: {IoFailures.Message(error)}");
            return DrmgrExitCodes.Of(error.Category);
        }

        // A guest's helper takes one connection: the host closes it when drmgr ends.
        using AgentHost owned = host;
        TimeSpan? limit = options.TimeoutMinutes is > 0 ? TimeSpan.FromMinutes(options.TimeoutMinutes.Value) : null;
        if (options.Capabilities)
        {
            return Capabilities(context, options, host, args, limit);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        DlparRequest? request = null;
        IDisposable? drLock = null;
        bool entitlement = options.POption is "ent_capacity" or "variable_weight" && options.ConnectorType is "cpu" or "mem";
        bool accelerator = options.ConnectorType == "acc";
        bool prrn = options.PrrnFile is not null;
        bool migration = options.ConnectorType is "pmig" or "phib";
        IReadOnlyList<PrrnEntry> prrnEntries = [];

        // drmgr's entitlement and accelerator paths print no total: the HMC reads their exit code.
        bool reported = entitlement || accelerator || prrn || migration;

        // The HMC reads the total of every memory add or remove, refused ones too (before anything ran, or by the engine).
        int Reported(int code)
        {
            if (!reported && options.ConnectorType == "mem" && options.Actions.Any(a => a is 'a' or 'r'))
            {
                context.Out.WriteLine("DR_TOTAL_RESOURCES=0");
            }

            return code;
        }

        try
        {
            int early = ReportingFailures(earlyMessages, options, () =>
            {
                if (prrn)
                {
                    prrnEntries = ReadPrrnFile(context, options, earlyMessages);
                }
                else if (entitlement)
                {
                    ValidateEntitlement(options);
                }
                else if (accelerator)
                {
                    ValidateAccelerator(options);
                }
                else if (migration)
                {
                    // drmgr checks these options under the lock, after its capability checks (with their lines).
                }
                else
                {
                    request = Validate(options);
                }

                drLock = host.DrLock.Acquire(limit);
                return DrmgrExitCodes.Success;
            });
            using DrmgrLog log = DrmgrLog.Open(host.Paths, args, context.Error, beforeLock.ToString(),
                logArguments: early == DrmgrExitCodes.Success && !migration);
            if (early != DrmgrExitCodes.Success || (request is null && !entitlement && !accelerator && !prrn && !migration))
            {
                return Reported(early);
            }

            var logged = context with { Error = log.Messages };
            return Reported(ReportingFailures(log.Messages, options, () =>
            {
                host.Announce(log.Messages);
                using IBackend session = host.OpenBackend();
                session.CatchUp();
                if (prrn)
                {
                    try
                    {
                        return RefreshPrrn(logged, log.LogOnly, prrnEntries, host.CreateEngine(session, new EngineOptions { Timeout = PrrnTimeout },
                            kernelWrites: new OperationTrace(step => LogKernelRequest(log.LogOnly, step))));
                    }
                    finally
                    {
                        session.Save();

                        // As drmgr: the file rtas_errd wrote is consumed.
                        File.Delete(options.PrrnFile!);
                    }
                }

                if (migration)
                {
                    try
                    {
                        return Mobility(logged, log, options, session.Kernel, new DrmgrHooks(host.Paths.HooksDirectory, HookTimeout),
                            host.Paths.SyslogSocket);
                    }
                    finally
                    {
                        session.Save();
                    }
                }

                if (request is null)
                {
                    try
                    {
                        return accelerator ? UpdateAccelerator(logged, log.LogOnly, options, session.Kernel)
                            : UpdateEntitlement(logged, options, session.Kernel);
                    }
                    finally
                    {
                        session.Save();
                    }
                }

                // As drmgr does for these types, whatever the action (the HMC's logs show the line first).
                if (ResourceTable.ByDrmgrWord(options.ConnectorType!)?.DrmgrCapability is { } key)
                {
                    WriteValidation(log.Messages, DlparCapabilities.Of(session.Kernel, key));
                }

                // Time spent waiting for the lock counts against -w, as the HMC's deadline does.
                TimeSpan? remaining = limit - clock.Elapsed;
                DlparEngine engine = host.CreateEngine(session,
                    new EngineOptions { Timeout = remaining is { } left ? (left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1)) : null },
                    kernelWrites: new OperationTrace(step => LogKernelRequest(log.LogOnly, step)));
                try
                {
                    int code = Execute(logged, log.LogOnly, new DrmgrHooks(host.Paths.HooksDirectory, HookTimeout), options, request, engine);
                    reported = true;
                    return code;
                }
                finally
                {
                    session.Save();
                }
            }));
        }
        finally
        {
            drLock?.Dispose();
        }
    }

    /// <summary><c>drmgr -C</c>: as drmgr, under the DR lock, each check's line on stderr and in the log.</summary>
    private static int Capabilities(CliContext context, DrmgrOptions options, AgentHost host, IReadOnlyList<string> args, TimeSpan? limit)
    {
        IDisposable? drLock = null;
        try
        {
            int locked = ReportingFailures(context.Error, options, () =>
            {
                drLock = host.DrLock.Acquire(limit);
                return DrmgrExitCodes.Success;
            });
            if (locked != DrmgrExitCodes.Success)
            {
                return locked;
            }

            using DrmgrLog log = DrmgrLog.Open(host.Paths, args, context.Error, string.Empty, logArguments: false);
            return ReportingFailures(log.Messages, options, () =>
            {
                host.Announce(log.Messages);
                using IBackend session = host.OpenBackend();
                session.CatchUpToLook();
                WriteCapabilities(context with { Error = log.Messages }, session.Kernel);
                return DrmgrExitCodes.Success;
            });
        }
        finally
        {
            drLock?.Dispose();
        }
    }

    /// <summary>Turns every expected failure into drmgr's message and exit code.</summary>
    private static int ReportingFailures(TextWriter errors, DrmgrOptions options, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (FormatException error)
        {
            errors.WriteLine(IoFailures.Message(error));
            DrmgrUsage.Write(errors, options.ConnectorType);
            return DrmgrExitCodes.Failure;
        }
        catch (Exception error) when (DlparAgentException.CategoryOf(error) is { } category)
        {
            errors.WriteLine(IoFailures.Message(error));
            return DrmgrExitCodes.Of(category);
        }
    }

    /// <summary>The checks of drmgr's validators, made strict: a bad combination is an error and nothing runs.</summary>
    private static DlparRequest Validate(DrmgrOptions options)
    {
        string type = options.ConnectorType ?? throw new FormatException("A connector type (-c) must be specified");
        ResourceType? row = ResourceTable.ByDrmgrWord(type);
        if (row is null && !OtherTypes.Contains(type))
        {
            throw new FormatException($"Invalid connector type '{type}'");
        }

        if (row is null || options.POption is not null)
        {
            throw new DlparException($"drmgr: {(options.POption is not null ? "-p " + options.POption : "-c " + type)} is not supported on this system");
        }

        if (options.Actions.Distinct().Count() != 1)
        {
            throw new FormatException(options.Actions.Count == 0 ? "An action must be specified" : "Only one action may be specified");
        }

        char action = options.Actions[0];
        if (!row.DrmgrActions.Contains(action, StringComparison.Ordinal))
        {
            throw new FormatException($"The -{action} option is not valid with -c {type}");
        }

        if (type == "pci" && action == 'i' && options.NoIdentify)
        {
            throw new FormatException("The -i and -I options cannot be used together");
        }

        if (options.Quantity is not null && options.Selector is not null)
        {
            throw new FormatException("The -q and -s options cannot be used together");
        }

        // drmgr names logical slots by location code only.
        (uint? index, string? name) = options.SelectorTarget(indexAllowed: row.Resource != DlparResource.Slot);
        bool byCount = row.Targets.HasFlag(ResourceTargets.Count);
        DlparTarget target;
        if (index is { } i)
        {
            target = new DlparTarget.ByIndex(i);
        }
        else if (name is not null)
        {
            target = new DlparTarget.ByName(name);
        }
        else if (byCount)
        {
            target = new DlparTarget.ByCount(options.QuantityValue());
        }
        else
        {
            throw new FormatException($"A DRC name or index (-s) must be specified for -c {type}");
        }

        if (!byCount && options.Quantity is not null)
        {
            throw new FormatException($"The -q option is not valid with -c {type}");
        }

        return new DlparRequest(row.Resource!.Value, action == 'r' ? DlparAction.Remove : DlparAction.Add, target);
    }

    private static int Execute(CliContext context, TextWriter logOnly, DrmgrHooks hooks, DrmgrOptions options, DlparRequest request, DlparEngine engine)
    {
        char action = options.Actions[0];
        if (action == 'Q')
        {
            SlotQuery query = engine.Query(request);

            // drmgr looks a PHB up among the partition's PHB nodes: one it does not own does not exist for it.
            bool exists = request.Resource == DlparResource.Phb ? query.Owned : query.Exists;
            return !exists ? DrmgrExitCodes.Nonexistent : !query.Owned ? DrmgrExitCodes.DontOwn : query.InUse
                ? DrmgrExitCodes.InUse : DrmgrExitCodes.LinuxSlot;
        }

        if (request.Resource == DlparResource.Pci && !engine.Query(request).Exists)
        {
            context.Error.WriteLine("The specified PCI slot is either invalid\nor does not support hot plug operations.");
            return DrmgrExitCodes.Failure;
        }

        if (request.Resource is DlparResource.Slot or DlparResource.Phb)
        {
            SlotQuery query = engine.Query(request);
            if (!query.Exists)
            {
                context.Error.WriteLine($"{options.Selector}: the connector does not exist");
                return DrmgrExitCodes.Nonexistent;
            }

            if (request.Action == DlparAction.Add && query.Owned)
            {
                context.Error.WriteLine($"{options.Selector}: the partition already owns it");
                return DrmgrExitCodes.AlreadyOwn;
            }

            if (request.Action == DlparAction.Remove && !query.Owned && request.Resource == DlparResource.Phb)
            {
                context.Error.WriteLine($"Could not find PHB {options.Selector}");
                return DrmgrExitCodes.Nonexistent;
            }

            if (request.Action == DlparAction.Remove && !query.Owned)
            {
                context.Error.WriteLine($"{options.Selector}: the partition does not own it");
                return DrmgrExitCodes.DontOwn;
            }
        }

        bool hooked = action is 'a' or 'r';
        string hookAction = request.Action == DlparAction.Add ? "add" : "remove";
        if (hooked)
        {
            hooks.Run(options.ConnectorType!, hookAction, "pre", RequestedCount(request.Target), logOnly);
        }

        using var cancellation = new CancellationTokenSource();
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Cancel(c, cancellation));
        using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Cancel(c, cancellation));
        DlparResult result;
        try
        {
            result = action switch
            {
                'i' => engine.Identify(request, identify: true),
                'R' => engine.Replace(request, cancellation: cancellation.Token) is var (removed, added) ? added ?? removed
                    : throw new InvalidOperationException(),
                _ => engine.Execute(request, cancellation.Token),
            };
        }
        catch (DlparException) when (request.Target is DlparTarget.ByCount refused)
        {
            LogCpuSummary(logOnly, request, 0, refused.Count);
            throw;
        }

        if (hooked)
        {
            hooks.Run(options.ConnectorType!, hookAction, "post", result.Done, logOnly);
        }

        ReportOutcomes(options.DetailLevel >= 4 ? context.Error : logOnly, result);

        switch (request.Resource)
        {
            case DlparResource.Memory:
                if (request.Action == DlparAction.Remove && result.Mechanism == DlparMechanism.Userspace)
                {
                    context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Removed {result.Done} of {result.Requested} requested LMB(s)"));
                }

                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DR_TOTAL_RESOURCES={result.Done}"));
                break;
            case DlparResource.Cpu:
                foreach (ConnectorOutcome cpu in result.Connectors.Where(c => c.Kind == OutcomeKind.Done))
                {
                    context.Out.WriteLine(cpu.Name);
                }

                break;
        }

        if (!result.Complete && request is { Resource: DlparResource.Cpu, Action: DlparAction.Add, Target: DlparTarget.ByCount } && result.Done == 0)
        {
            // drmgr's words and code when no CPU connector could be added at all.
            context.Error.WriteLine("Could not find available cpu.");
            LogCpuSummary(logOnly, request, result.Done, result.Requested);
            return DrmgrExitCodes.InUse;
        }

        LogCpuSummary(logOnly, request, result.Done, result.Requested);

        if (result.Interrupted)
        {
            // drmgr masks these signals; ours stop before the next connector, with every one settled.
            context.Error.WriteLine($"Interrupted: {result.Error}");
            return DrmgrExitCodes.Failure;
        }

        if (!result.Complete && result.Mechanism == DlparMechanism.Kernel
            && request is { Resource: DlparResource.Memory, Action: DlparAction.Remove, Target: DlparTarget.ByCount })
        {
            // drmgr's NUMA-balanced removal keeps what went, reports it and succeeds: the HMC reads the total.
            logOnly.WriteLine(result.Error);
            return DrmgrExitCodes.Success;
        }

        if (!result.Complete)
        {
            context.Error.WriteLine(result.Error ?? string.Join("; ", result.Connectors.Where(c => c.Kind == OutcomeKind.Failed).Select(c => c.ToString())));
            // drmgr's CPU add keeps what it added and returns 1; its removal returns the last failure (-1).
            return request is { Resource: DlparResource.Cpu, Action: DlparAction.Add } && result.Done > 0 ? DrmgrExitCodes.InUse : DrmgrExitCodes.Failure;
        }

        return DrmgrExitCodes.Success;
    }

    /// <summary><c>-p ent_capacity|variable_weight</c>: one action (-a or -r) and a quantity; no connector.</summary>
    private static void ValidateEntitlement(DrmgrOptions options)
    {
        if (options.Actions.Distinct().Count() != 1 || options.Actions[0] is not ('a' or 'r'))
        {
            throw new FormatException($"-p {options.POption} needs one action: -a to add or -r to remove");
        }

        if (options.Selector is not null)
        {
            throw new FormatException($"-p {options.POption} changes a quantity (-q), not a connector (-s)");
        }

        _ = options.QuantityValue();
    }

    private static ulong? StreamId(CliContext context, DrmgrOptions options)
    {
        if (options.Selector is not { } text)
        {
            context.Error.WriteLine("No streamid specified");
            return null;
        }

        if (ulong.TryParse(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text, NumberStyles.AllowHexSpecifier,
            CultureInfo.InvariantCulture, out ulong stream))
        {
            return stream;
        }

        // drmgr's strtoull would take it as stream 0; a stream that is not hex is refused here.
        context.Error.WriteLine($"Invalid streamid specified: {DrmgrLog.Printable(text)}");
        return null;
    }

    /// <summary>
    /// <c>-m -c pmig -p check|pre -s STREAM</c> and <c>-c phib -p pre -s STREAM</c>, in drmgr's order:
    /// the option checks and capability lines of its validator, then its handler's own migration
    /// check. <c>check</c> runs the hooks' check phase (their output relayed) and undocheck after a
    /// veto (exit 1). <c>pre</c> runs the pre hooks, writes the stream to the kernel, logs drmgr's
    /// <c>migration rc N</c> line and runs the post hooks whatever happened (no hooks for
    /// hibernation); it exits 0, the kernel's errno, or 255.
    /// </summary>
    private static int Mobility(CliContext context, DrmgrLog log, DrmgrOptions options, IGuestKernel kernel, DrmgrHooks hooks, string? syslog)
    {
        TextWriter logOnly = log.LogOnly;
        bool hibernate = options.ConnectorType == "phib";
        if (options.POption is null)
        {
            context.Error.WriteLine("A command must be specified");
            return DrmgrExitCodes.Failure;
        }

        if (!hibernate && !options.Actions.Contains('m'))
        {
            context.Error.WriteLine("The -m must be specified for migrations");
            return DrmgrExitCodes.Failure;
        }

        // Read once: drmgr's validator and its handler both check migration, and each says so.
        DlparCapability pmig = DlparCapabilities.Of(kernel, "pmig");
        if (hibernate)
        {
            DlparCapability phib = DlparCapabilities.Of(kernel, "phib");
            WriteValidation(context.Error, phib);
            if (!phib.Supported)
            {
                context.Error.WriteLine("Partition Hibernation is not supported.");
                return DrmgrExitCodes.Failure;
            }
        }
        else if (!Migratable(context, pmig))
        {
            context.Error.WriteLine("Partition Mobility is not supported.");
            return DrmgrExitCodes.Failure;
        }

        // The validator has accepted the options: drmgr logs the invocation, and its handler checks migration again, for hibernation too.
        log.WriteArguments();
        if (!Migratable(context, pmig))
        {
            context.Error.WriteLine("drmig_chrp_pmig: Partition Mobility is not supported on this kernel.");
            return DrmgrExitCodes.Failure;
        }

        if (!hibernate && options.POption == "check")
        {
            if (hooks.Run("pmig", "migrate", "check", 0, logOnly, context.Error))
            {
                return DrmgrExitCodes.Success;
            }

            hooks.Run("pmig", "migrate", "undocheck", 0, logOnly, context.Error);
            context.Error.WriteLine("A migration check hook vetoed the migration.");
            return DrmgrExitCodes.InUse;
        }

        if (options.POption != "pre")
        {
            context.Error.WriteLine($"Invalid command \"{DrmgrLog.Printable(options.POption)}\" specified ({(hibernate ? "pre" : "check or pre")})");
            return DrmgrExitCodes.InUse;
        }

        if (StreamId(context, options) is not { } stream)
        {
            return DrmgrExitCodes.Failure;
        }

        if (!hibernate)
        {
            hooks.Run("pmig", "migrate", "pre", 0, logOnly);
        }

        int rc = hibernate ? Suspend(context, logOnly, KernelWrites.Hibernation, stream, () => kernel.WriteHibernation(stream))
            : kernel.ReadMigrationApiVersion() is var api && api != 1 ? Refuse(context, api)
            : Suspend(context, logOnly, KernelWrites.Migration, stream, () => kernel.WriteMigration(stream));
        string line = string.Create(CultureInfo.InvariantCulture, $"drmgr: {(hibernate ? "hibernation" : "migration")} rc {rc}");
        logOnly.WriteLine(line);
        DrmgrLog.Syslog(syslog, line);

        // As drmgr: the post hooks run even when the migration failed.
        if (!hibernate)
        {
            hooks.Run("pmig", "migrate", "post", 0, logOnly);
        }

        return rc == -1 ? DrmgrExitCodes.Failure : rc;
    }

    /// <summary>drmgr's pmig_capable, with its lines: the partition has <c>ibm,migratable-partition</c> (and here, the kernel its interface).</summary>
    private static bool Migratable(CliContext context, DlparCapability pmig)
    {
        WriteValidation(context.Error, pmig);
        if (pmig.Detail is { } why)
        {
            context.Error.WriteLine(why);
        }

        return pmig.Supported;
    }

    private static int Refuse(CliContext context, int? version)
    {
        context.Error.WriteLine(version is null
            ? $"The kernel has no migration interface ({KernelWrites.MigrationApiVersion} is missing)"
            : $"Unsupported kernel migration API version {version}: user space does not suspend the partition itself (ibm,suspend-me)");
        return -1;
    }

    /// <summary>The kernel's write that suspends the partition; 0, or its errno.</summary>
    private static int Suspend(CliContext context, TextWriter logOnly, string file, ulong stream, Action write)
    {
        logOnly.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Initiating {(file == KernelWrites.Migration ? "migration" : "hibernation")} " +
            $"via {file} with 0x{stream:x}"));
        try
        {
            write();
            return 0;
        }
        catch (KernelException failed)
        {
            context.Error.WriteLine($"The {(file == KernelWrites.Migration ? "migration" : "hibernation")} failed: {failed.Message}");
            return (int)failed.Errno;
        }
    }

    /// <summary><c>-P FILE</c>: alone (with -d and -w); the file is read, and its bad lines reported, before the lock is taken.</summary>
    private static IReadOnlyList<PrrnEntry> ReadPrrnFile(CliContext context, DrmgrOptions options, TextWriter messages)
    {
        if (options.ConnectorType is not null || options.Actions.Count > 0 || options.Selector is not null || options.Quantity is not null
            || options.POption is not null)
        {
            throw new FormatException("-P handles a PRRN event file alone (with -d and -w)");
        }

        string text = System.Text.Encoding.UTF8.GetString(InputFile.ReadAll(options.PrrnFile!, context));
        (IReadOnlyList<PrrnEntry> entries, IReadOnlyList<string> problems) = PrrnFile.Parse(text);
        foreach (string problem in problems)
        {
            messages.WriteLine(problem);
        }

        return entries;
    }

    /// <summary>Each CPU and LMB of the event removed and added again; exit 0 unless one that went could not come back.</summary>
    private static int RefreshPrrn(CliContext context, TextWriter logOnly, IReadOnlyList<PrrnEntry> entries, DlparEngine engine)
    {
        IReadOnlyList<PrrnOutcome> outcomes = PrrnRefresh.Apply(engine, entries);
        foreach (PrrnOutcome outcome in outcomes)
        {
            string name = string.Create(CultureInfo.InvariantCulture,
                $"{ResourceTable.Of(outcome.Entry.Resource).DrmgrWord} 0x{outcome.Entry.Index:x}");
            switch (outcome.Status)
            {
                case PrrnStatus.Refreshed:
                    logOnly.WriteLine($"{name}: removed and added again");
                    break;
                case PrrnStatus.NotRemoved:
                    logOnly.WriteLine($"{name}: left as it was: {outcome.Error}");
                    break;
                default:
                    context.Error.WriteLine($"{name}: removed but could not be added again: {outcome.Error}");
                    break;
            }
        }

        return outcomes.Any(o => o.Status == PrrnStatus.NotReadded) ? DrmgrExitCodes.Failure : DrmgrExitCodes.Success;
    }

    /// <summary><c>-c acc -t TYPE -q CREDITS</c>: the type and the new total; an action, which drmgr ignores here, is accepted.</summary>
    private static void ValidateAccelerator(DrmgrOptions options)
    {
        if (options.TOption is null)
        {
            throw new FormatException("-t gzip must be specified");
        }

        if (options.Quantity is null)
        {
            throw new FormatException("-c acc needs the new total of QoS credits (-q)");
        }

        if (options.Selector is not null || options.POption is not null || options.Actions.Any(a => a is not ('a' or 'r')) || options.Actions.Count > 1)
        {
            throw new FormatException("-c acc takes only -t and -q (and at most one of -a or -r, which it ignores)");
        }

        _ = AcceleratorCredits(options);
    }

    private static long AcceleratorCredits(DrmgrOptions options) =>
        CNumber.TryParseU32(options.Quantity!, out uint credits) && credits <= ushort.MaxValue ? credits
            : throw new FormatException($"Invalid QoS credit count {DrmgrLog.Printable(options.Quantity!)} (0 to {ushort.MaxValue})");

    /// <summary>Gives the kernel the accelerator's new QoS credit total; as drmgr, a refused write exits with its errno.</summary>
    private static int UpdateAccelerator(CliContext context, TextWriter logOnly, DrmgrOptions options, IGuestKernel kernel)
    {
        try
        {
            AcceleratorCreditResult result = AcceleratorCreditUpdate.Apply(kernel, options.TOption!, AcceleratorCredits(options));
            logOnly.WriteLine("Successful update total QoS credits");
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Type} QoS credits: {result.Before} -> {result.After} ({result.Used} in use)"));
            return DrmgrExitCodes.Success;
        }
        catch (AcceleratorException error)
        {
            context.Error.WriteLine(error.Message);
            return error.InnerException is KernelException { Errno: var errno } ? (int)errno : DrmgrExitCodes.Failure;
        }
    }

    /// <summary>
    /// Changes the entitlement or weight by the quantity and says what the hypervisor set. Exit codes
    /// as drmgr's: 0, 1 for a removal larger than the current value, 255 otherwise.
    /// </summary>
    private static int UpdateEntitlement(CliContext context, DrmgrOptions options, IGuestKernel kernel)
    {
        DlparResource resource = options.ConnectorType == "cpu" ? DlparResource.Cpu : DlparResource.Memory;
        DlparAction action = options.Actions[0] == 'a' ? DlparAction.Add : DlparAction.Remove;
        try
        {
            EntitlementResult result = EntitlementUpdate.Apply(kernel, resource, options.POption!, action, options.QuantityValue());
            string constrained = result.Constrained
                ? string.Create(CultureInfo.InvariantCulture, $" (asked {result.Asked}; the hypervisor constrained it)")
                : string.Empty;
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Key}: {result.Before} -> {result.After}{constrained}"));
            return DrmgrExitCodes.Success;
        }
        catch (EntitlementException error)
        {
            context.Error.WriteLine(error.Message);
            return error.Problem == EntitlementProblem.TooLarge ? DrmgrExitCodes.InUse : DrmgrExitCodes.Failure;
        }
    }

    private static void Cancel(PosixSignalContext signal, CancellationTokenSource cancellation)
    {
        // Finish the connector in hand, stop before the next one; the engine rolls back or keeps as the plan says.
        signal.Cancel = true;
        cancellation.Cancel();
    }

    private static long RequestedCount(DlparTarget target) => target switch
    {
        DlparTarget.ByCount count => count.Count,
        DlparTarget.ByIndexedCount indexed => indexed.Count,
        _ => 1,
    };

    /// <summary>One line per connector: always in the log, on stderr too from detail level 4.</summary>
    private static void ReportOutcomes(TextWriter target, DlparResult result)
    {
        foreach (ConnectorOutcome outcome in result.Connectors)
        {
            target.WriteLine(outcome.ToString());
        }
    }

    /// <summary>drmgr's summary of a CPU operation by count, in its words (the HMC's support reads them in the log).</summary>
    private static void LogCpuSummary(TextWriter log, DlparRequest request, long done, long requested)
    {
        if (request is { Resource: DlparResource.Cpu, Target: DlparTarget.ByCount })
        {
            log.WriteLine(request.Action == DlparAction.Add
                ? string.Create(CultureInfo.InvariantCulture, $"Acquired {done} of {requested} requested cpu(s).")
                : string.Create(CultureInfo.InvariantCulture, $"Removed {done} of {requested} requested cpu(s)"));
        }
    }

    /// <summary>Each request handed to <c>/sys/kernel/dlpar</c> and its failure, in drmgr's words.</summary>
    private static void LogKernelRequest(TextWriter log, TraceStep step)
    {
        if (step is not KernelWriteStep { Write.Path: KernelWrites.Dlpar } write)
        {
            return;
        }

        log.WriteLine($"Initiating kernel DLPAR \"{write.Write.Printable()}\"");
        if (write.Error is { } error)
        {
            string reason = Enum.TryParse(error, out Errno errno) ? KernelException.Describe(errno) : error;
            log.WriteLine($"Failed to write to {KernelWrites.Dlpar}: {reason}");
        }
    }

    private static void WriteValidation(TextWriter errors, DlparCapability capability) =>
        errors.WriteLine($"Validating {capability.Label} capability...{(capability.Supported ? "yes" : "no")}.");

    /// <summary>drmgr <c>-C</c>: one line on stdout; each check also reported on stderr.</summary>
    private static void WriteCapabilities(CliContext context, IGuestKernel kernel)
    {
        IReadOnlyList<DlparCapability> capabilities = DlparCapabilities.Of(kernel);
        foreach (DlparCapability capability in capabilities.Where(c => c.Validated))
        {
            WriteValidation(context.Error, capability);
        }

        context.Out.WriteLine(string.Join(',', capabilities.Select(c => $"{c.Key}={(c.Supported ? "yes" : "no")}")));
    }
}
