using DlparAgent.Core.Failures;

namespace DlparAgent.Hosting;

/// <summary>The composition root cannot build what was asked for: an unknown platform, say.</summary>
public sealed class HostingException(FailureCategory category, string message) : DlparAgentException(message)
{
    public override FailureCategory Category { get; } = category;
}
