using DlparAgent.Core.Failures;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Requests;
using DlparAgent.Linux.Events;
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
internal sealed class EventDispatcher(IEngineScope platform, ILogger logger)
{
    /// <summary>Called just before the engine starts an event's request (the event-to-action figure).</summary>
    public Action<DlparRequest>? Starting { get; init; }

    /// <summary>Handles a record outside any burst: its work runs in the platform's own scope.</summary>
    public EventOutcome Handle(ErrorLogEntry entry) => Handle(entry, platform);

    public EventOutcome Handle(ServiceEvent serviceEvent)
    {
        ArgumentNullException.ThrowIfNull(serviceEvent);
        return Handle(serviceEvent.Entry, serviceEvent.Scope);
    }

    private EventOutcome Handle(ErrorLogEntry entry, IEngineScope scope)
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
            return scope.Run(engine => Execute(engine, request, sequence));
        }
        catch (Exception error) when (DlparAgentException.CategoryOf(error) is not null)
        {
            ServiceLog.Failed(logger, sequence, request, IoFailures.Message(error));
            return new EventOutcome(EventDisposition.Failed, sequence, IoFailures.Message(error));
        }
    }

    private EventOutcome Execute(DlparEngine engine, DlparRequest request, int sequence)
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
            refusal = IoFailures.Message(error);
        }

        if (result is { Complete: true })
        {
            string path = result.Mechanism.Word();
            ServiceLog.Done(logger, sequence, request, result.Done, result.Requested, path);
            return new EventOutcome(EventDisposition.Done, sequence, $"{result.Done} of {result.Requested} done");
        }

        string reason = refusal ?? result?.Error ?? "incomplete";
        ServiceLog.Failed(logger, sequence, request, reason);
        if (request.Action == DlparAction.Remove)
        {
            SignalFailure(engine, request, result, sequence);
        }

        return new EventOutcome(EventDisposition.Failed, sequence, reason);
    }

    /// <summary>Linux's <c>dlpar_unisolate_drc</c>: the connectors a failed removal left are unisolated so the platform sees it fail.</summary>
    private void SignalFailure(DlparEngine engine, DlparRequest request, DlparResult? result, int sequence)
    {
        List<uint> indexes = [.. result?.Connectors.Where(c => c.Kind != OutcomeKind.Done).Select(c => c.Index) ?? []];
        if (request.Target is DlparTarget.ByIndex one)
        {
            indexes.Add(one.Index);
        }

        IReadOnlyList<uint> signalled = engine.SignalRemovalFailure(indexes);
        if (signalled.Count > 0)
        {
            ServiceLog.Signalled(logger, sequence, string.Join(' ', signalled.Select(index => $"0x{index:x8}")));
        }
    }
}
