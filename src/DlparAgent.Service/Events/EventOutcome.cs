namespace DlparAgent.Service.Events;

/// <summary>What the service did with one error-log record.</summary>
internal enum EventDisposition
{
    Malformed,
    Skipped,
    Epow,
    Done,
    Failed,
}

internal sealed record EventOutcome(EventDisposition Kind, int Sequence, string Description);
