using System.CommandLine;
using System.Globalization;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Tracing;
using DlparAgent.Hosting;

namespace DlparAgent.Cli.Agent;

/// <summary>
/// <c>dlpar set entitlement|weight|memory-entitlement|memory-weight|nx-credits VALUE</c>: the
/// modern form of drmgr's <c>-p ent_capacity|variable_weight</c> and <c>-c acc</c>. A value is
/// absolute, or a change with <c>+</c> or <c>-</c>; each is one write, read back.
/// </summary>
internal static class SetCommand
{
    private static readonly (string Word, DlparResource Resource, string Parameter, string Description)[] Settings =
    [
        ("entitlement", DlparResource.Cpu, "ent_capacity", "Processing units (hundredths of a core) of a shared-processor partition"),
        ("weight", DlparResource.Cpu, "variable_weight", "Uncapped capacity weight, 0 to 255"),
        ("memory-entitlement", DlparResource.Memory, "ent_capacity", "Entitled memory in bytes (Active Memory Sharing)"),
        ("memory-weight", DlparResource.Memory, "variable_weight", "Entitled memory weight, 0 to 255 (Active Memory Sharing)"),
    ];

    public static Command Create(CliContext context, GlobalOptions g)
    {
        var command = new Command("set", "Change the partition's entitlement, weights or NX accelerator credits (drmgr -p and -c acc)");
        foreach (var setting in Settings)
        {
            var value = new Argument<string>("VALUE") { Description = "N, or +N / -N to add or remove" };
            Option<bool> dryRun = DryRun();
            var sub = new Command(setting.Word, setting.Description) { value, dryRun };
            sub.SetAction(r => Run(context, r, g, r.GetValue(dryRun), kernel =>
                Entitlement(kernel, setting.Resource, setting.Parameter, r.GetValue(value)!)));
            command.Subcommands.Add(sub);
        }

        var credits = new Argument<string>("CREDITS") { Description = "The accelerator type's new QoS credit total, 0 to 65535" };
        var type = new Option<string>("--type") { Description = "Accelerator type", DefaultValueFactory = _ => "gzip" };
        Option<bool> creditsDryRun = DryRun();
        var nx = new Command("nx-credits", "QoS credits of an NX accelerator the HMC assigned (drmgr -c acc)") { credits, type, creditsDryRun };
        nx.SetAction(r => Run(context, r, g, r.GetValue(creditsDryRun), kernel => Credits(kernel, r.GetValue(type)!, r.GetValue(credits)!)));
        command.Subcommands.Add(nx);
        return command;
    }

    private static SetDocument Entitlement(IGuestKernel kernel, DlparResource resource, string parameter, string value)
    {
        (char sign, ulong amount) = Value(value);
        DlparAction action;
        ulong quantity;
        if (sign == '=')
        {
            // An absolute value is a change from what lparcfg says now.
            string key = EntitlementUpdate.KeyOf(resource, parameter)!;
            ulong current = kernel.ReadLparcfg() is { } lparcfg && lparcfg.TryGetValue(key, out string? text)
                && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed) ? parsed : 0;
            (action, quantity) = amount >= current ? (DlparAction.Add, amount - current) : (DlparAction.Remove, current - amount);
        }
        else
        {
            (action, quantity) = (sign == '+' ? DlparAction.Add : DlparAction.Remove, amount);
        }

        EntitlementResult result = EntitlementUpdate.Apply(kernel, resource, parameter, action, quantity);
        return new SetDocument(false, result.Key, result.Before, result.Asked, result.After, result.Constrained);
    }

    private static SetDocument Credits(IGuestKernel kernel, string type, string value)
    {
        (char sign, ulong amount) = Value(value);
        if (sign != '=')
        {
            throw new CliException(FailureCategory.Usage, "nx-credits takes the new total, not a change");
        }

        AcceleratorCreditResult result = AcceleratorCreditUpdate.Apply(kernel, type, (long)Math.Min(amount, long.MaxValue));
        return new SetDocument(false, $"{result.Type} QoS credits", (ulong)result.Before, amount, (ulong)result.After, false) { Used = result.Used };
    }

    private static (char Sign, ulong Amount) Value(string text)
    {
        char sign = text.Length > 0 && text[0] is '+' or '-' ? text[0] : '=';
        string digits = sign == '=' ? text : text[1..];
        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong amount)
            ? (sign, amount)
            : throw new CliException(FailureCategory.Usage, $"'{text}' is not a number (N, +N or -N)");
    }

    /// <summary>Under the DR lock, on the partition or (dry run) on a copy whose kernel writes are traced and never saved.</summary>
    private static int Run(CliContext context, ParseResult r, GlobalOptions g, bool dryRun, Func<IGuestKernel, SetDocument> change)
    {
        bool json = r.GetValue(g.Json);
        AgentHost host = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir));
        using IDisposable? held = dryRun ? null : host.DrLock.Acquire(null);
        using IBackend session = host.OpenBackend();
        if (dryRun && !session.CanDryRun)
        {
            throw new CliException(FailureCategory.Unavailable, "--dry-run needs the emulated platform: a real kernel cannot be asked without acting");
        }

        session.CatchUp();
        OperationTrace? trace = dryRun ? new OperationTrace() : null;
        SetDocument document = change(trace is null ? session.Kernel : new TracingKernel(session.Kernel, trace)) with { DryRun = dryRun };
        if (trace is null)
        {
            session.Save();
        }

        if (json)
        {
            JsonOutput.Write(context.Out, document with { Calls = trace?.Steps.Select(TraceStepDocument.From).ToList() },
                JsonOutput.Documents.SetDocument);
            return ExitCodes.Success;
        }

        if (trace is not null)
        {
            context.Out.WriteLine("dry run: nothing was changed; these calls would be made:");
            foreach (TraceStep step in trace.Steps)
            {
                context.Out.WriteLine($"  {step}");
            }
        }

        string constrained = document.Constrained
            ? string.Create(CultureInfo.InvariantCulture, $" (asked {document.Asked}; the hypervisor constrained it)")
            : string.Empty;
        string used = document.Used is { } inUse ? string.Create(CultureInfo.InvariantCulture, $" ({inUse} in use)") : string.Empty;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{document.Key}: {document.Before} -> {document.After}{constrained}{used}"));
        return ExitCodes.Success;
    }

    private static Option<bool> DryRun() => new("--dry-run") { Description = "Print the kernel writes the change would make, on a copy of the partition" };
}
