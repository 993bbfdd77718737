using DlparAgent.Core.Failures;

namespace DlparAgent.Core.Engine;

/// <summary>Why a QoS credit change did not happen.</summary>
public enum AcceleratorProblem
{
    /// <summary>A type other than gzip, or a count outside 0–65535.</summary>
    Invalid,

    /// <summary>The partition has no accelerator of the type.</summary>
    Unsupported,

    /// <summary>The kernel refused the write (its errno is in the message).</summary>
    Refused,
}

public sealed class AcceleratorException(AcceleratorProblem problem, string message, Exception? inner = null) : DlparAgentException(message, inner)
{
    public AcceleratorProblem Problem { get; } = problem;

    public override FailureCategory Category => Problem switch
    {
        AcceleratorProblem.Invalid => FailureCategory.Usage,
        AcceleratorProblem.Unsupported => FailureCategory.Unavailable,
        _ => FailureCategory.Refused,
    };
}
