namespace DlparAgent.Service.Events;

/// <summary>What the service did with one error-log record.</summary>
internal enum EventKind
{
    Malformed,
    Skipped,
    Epow,
    Done,
    Failed,
}

internal sealed record EventOutcome(EventKind Kind, int Sequence, string Description);
