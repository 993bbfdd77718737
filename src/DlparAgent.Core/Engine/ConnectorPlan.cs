namespace DlparAgent.Core.Engine;

/// <summary>
/// What a handler decides before anything changes: the connectors to try, in order, and how many
/// must succeed. The engine's <see cref="ConnectorLoop"/> does the rest.
/// </summary>
internal sealed record ConnectorPlan(IReadOnlyList<uint> Candidates, int Requested)
{
    /// <summary>What the request counts, for its messages: <c>LMBs</c>, <c>CPUs</c>.</summary>
    public required string Noun { get; init; }

    /// <summary>By count, a candidate that cannot be had is passed over and the next one tried (as drmgr does).</summary>
    public bool SkipFailures { get; init; }

    /// <summary>A shortfall undoes what the request did (the kernel's all-or-nothing by count).</summary>
    public bool AllOrNothing { get; init; }

    /// <summary>
    /// The plan is journaled once and intent synced a group at a time (<see cref="OperationJournal.Plan"/>),
    /// for operations over many connectors whose handler can tell a finished connector after a crash.
    /// </summary>
    public bool Grouped { get; init; }
}
