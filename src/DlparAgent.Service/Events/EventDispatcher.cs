using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Linux;
using DlparAgent.Linux.Events;
using DlparAgent.Linux.Locking;
using DlparAgent.Service.Platforms;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Service.Events;

/// <summary>
/// Turns one error-log record into action: a hotplug event becomes an engine request run
/// in-process (every resource and identifier type the engine knows), an EPOW event is logged with
/// its action code, and anything else, malformed or unknown, is logged and skipped. A failed
/// request is signalled to the platform as Linux does, by unisolating the connectors it could not
/// remove. Input never makes it throw.
/// </summary>
internal sealed class EventDispatcher(IServicePlatform platform, ILogger logger)
{
    /// <summary>Called just before the engine starts an event's request (the event-to-action figure).</summary>
    public Action<DlparRequest>? Starting { get; init; }

    public EventOutcome Handle(ErrorLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Record is not { } record)
        {
            ServiceLog.Malformed(logger, entry.Raw.Length, entry.Problem ?? "unreadable");
            return new EventOutcome(EventDisposition.Malformed, -1, entry.Problem ?? "unreadable");
        }

        int sequence = record.Sequence;
        if (record.Log.FindSection<EpowSection>() is { } epow)
        {
            ServiceLog.Epow(logger, sequence, epow.ActionCode, EpowSection.DescribeAction(epow.ActionCode), epow.EventModifier, epow.SensorValue);
            return new EventOutcome(EventDisposition.Epow, sequence, EpowSection.DescribeAction(epow.ActionCode));
        }

        if (record.Log.FindSection<HotplugSection>() is not { } hotplug)
        {
            string reason = $"event type 0x{record.Log.Summary.Raw & 0xFF:x2} is neither hotplug nor EPOW";
            ServiceLog.Skipped(logger, sequence, reason);
            return new EventOutcome(EventDisposition.Skipped, sequence, reason);
        }

        if (HotplugRequests.FromSection(hotplug, out string? why) is not { } request)
        {
            ServiceLog.Skipped(logger, sequence, why!);
            return new EventOutcome(EventDisposition.Skipped, sequence, why!);
        }

        ServiceLog.Dispatching(logger, sequence, request);
        try
        {
            return platform.Run((engine, rtas) => Execute(engine, rtas, request, sequence));
        }
        catch (Exception error) when (error is KernelException or DlparFormatException or StateFileException or DrLockException or LinuxBackendException or IOException or TimeoutException or OperationCanceledException)
        {
            ServiceLog.Failed(logger, sequence, request, error.Message);
            return new EventOutcome(EventDisposition.Failed, sequence, error.Message);
        }
    }

    private EventOutcome Execute(DlparEngine engine, IRtas rtas, DlparRequest request, int sequence)
    {
        Starting?.Invoke(request);
        DlparResult? result = null;
        string? refusal = null;
        try
        {
            result = engine.Execute(request);
        }
        catch (DlparException error)
        {
            refusal = error.Message;
        }

        if (result is { Complete: true })
        {
            ServiceLog.Done(logger, sequence, request, result.Done, result.Requested, result.Path);
            return new EventOutcome(EventDisposition.Done, sequence, $"{result.Done} of {result.Requested} done");
        }

        string reason = refusal ?? result?.Error ?? "incomplete";
        ServiceLog.Failed(logger, sequence, request, reason);
        if (request.Action == DlparAction.Remove)
        {
            SignalFailure(rtas, request, result, sequence);
        }

        return new EventOutcome(EventDisposition.Failed, sequence, reason);
    }

    /// <summary>Linux's <c>dlpar_unisolate_drc</c>: a connector still present is unisolated so the platform sees the removal fail.</summary>
    private void SignalFailure(IRtas rtas, DlparRequest request, DlparResult? result, int sequence)
    {
        HashSet<uint> indexes = [.. result?.Connectors.Where(c => c.Kind != OutcomeKind.Done).Select(c => c.Index) ?? []];
        if (request.Target is DlparTarget.ByIndex one)
        {
            indexes.Add(one.Index);
        }

        var signalled = new List<string>();
        foreach (uint index in indexes)
        {
            RtasResult sense = rtas.GetSensorState(DrIndicators.EntitySense, index);
            if (sense.Status.IsSuccess && sense.Value == DrIndicators.SensePresent
                && rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Unisolate).IsSuccess)
            {
                signalled.Add($"0x{index:x8}");
            }
        }

        if (signalled.Count > 0)
        {
            ServiceLog.Signalled(logger, sequence, string.Join(' ', signalled));
        }
    }
}
