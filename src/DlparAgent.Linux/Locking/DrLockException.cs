using DlparAgent.Core.Failures;

namespace DlparAgent.Linux.Locking;

/// <summary>The DR lock could not be taken: another command held it too long (busy), or its file could not be opened.</summary>
public sealed class DrLockException(FailureCategory category, string message, Exception? inner = null) : DlparAgentException(message, inner)
{
    public override FailureCategory Category { get; } = category;
}
