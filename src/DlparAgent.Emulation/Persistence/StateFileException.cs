using DlparAgent.Core.Failures;

namespace DlparAgent.Emulation.Persistence;

/// <summary>What is wrong with a state directory.</summary>
public enum StateProblem
{
    /// <summary>There is no machine yet.</summary>
    Missing,

    /// <summary>The file is not ours, damaged, or from another format version.</summary>
    Unreadable,

    /// <summary>Another process holds the lock longer than we may wait.</summary>
    Locked,

    /// <summary>The directory or file cannot be created, read or written.</summary>
    Io,
}

/// <summary>The state directory or file cannot be used: missing, foreign, damaged, from a newer version, or locked too long.</summary>
public sealed class StateFileException(StateProblem problem, string message, Exception? inner = null) : DlparAgentException(message, inner)
{
    public StateProblem Problem { get; } = problem;

    public override FailureCategory Category => Problem switch
    {
        StateProblem.Missing => FailureCategory.NoInput,
        StateProblem.Unreadable => FailureCategory.BadData,
        StateProblem.Locked => FailureCategory.Busy,
        _ => FailureCategory.Io,
    };
}
