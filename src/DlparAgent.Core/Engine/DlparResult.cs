using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>The result of one request: per connector, the totals, and the mechanism the work went through.</summary>
public sealed record DlparResult(DlparRequest Request, int Requested, IReadOnlyList<ConnectorOutcome> Connectors, DlparMechanism Mechanism,
    string? Error = null)
{
    public int Done => Connectors.Count(c => c.Kind == OutcomeKind.Done);

    /// <summary>A signal or the time limit stopped the request before it was through; <see cref="Done"/> is what it left done.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Everything requested was done.</summary>
    public bool Complete => Error is null && Done == Requested;
}
