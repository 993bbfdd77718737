using DlparAgent.Core.Failures;

namespace DlparAgent.Core.Engine;

/// <summary>A request that cannot be carried out, refused before anything changed (a missing target, too few candidates).</summary>
public sealed class DlparException(string message) : DlparAgentException(message)
{
    public override FailureCategory Category => FailureCategory.Refused;
}
