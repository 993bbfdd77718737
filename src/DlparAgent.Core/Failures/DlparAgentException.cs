namespace DlparAgent.Core.Failures;

/// <summary>
/// The base of every failure the agent reports: a message fit for one line on stderr and a
/// category that the front end maps to its exit code.
/// </summary>
public abstract class DlparAgentException : Exception
{
    protected DlparAgentException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public abstract FailureCategory Category { get; }

    /// <summary>
    /// The category of a failure a front end reports rather than crashes on: the agent's own,
    /// an interruption, or a plain file-system error; null for a defect (a bug is not hidden).
    /// </summary>
    public static FailureCategory? CategoryOf(Exception error) => error switch
    {
        DlparAgentException agent => agent.Category,
        OperationCanceledException or TimeoutException => FailureCategory.Interrupted,
        UnauthorizedAccessException => FailureCategory.NotPermitted,
        IOException => FailureCategory.Io,
        _ => null,
    };
}
