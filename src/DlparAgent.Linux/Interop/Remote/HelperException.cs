using DlparAgent.Core.Failures;

namespace DlparAgent.Linux.Interop.Remote;

/// <summary>The guest's helper cannot be reached: not running, gone, or not answering.</summary>
public sealed class HelperException(FailureCategory category, string message) : DlparAgentException(message)
{
    public override FailureCategory Category { get; } = category;
}
