using DlparAgent.Core.Failures;

namespace DlparAgent.Core.Engine;

/// <summary>Why an entitlement or weight change did not happen.</summary>
public enum EntitlementProblem
{
    /// <summary>No lparcfg, no such key, or a parameter that names none: drmgr's "capability is not enabled".</summary>
    Unsupported,

    /// <summary>A removal larger than the current value, or a weight past 255 (drmgr exits 1 for the first).</summary>
    TooLarge,

    /// <summary>The kernel or the hypervisor refused the write (its errno is in the message).</summary>
    Refused,
}

public sealed class EntitlementException(EntitlementProblem problem, string message, Exception? inner = null) : DlparAgentException(message, inner)
{
    public EntitlementProblem Problem { get; } = problem;

    public override FailureCategory Category => Problem == EntitlementProblem.Unsupported ? FailureCategory.Unavailable : FailureCategory.Refused;
}
