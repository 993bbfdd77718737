using DlparAgent.Core.Failures;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Linux.Rtas;

/// <summary>A firmware service answered with an error status.</summary>
public sealed class RtasStatusException(string service, RtasStatus status)
    : DlparAgentException($"{service} failed with {status.Value} ({status.Describe()})")
{
    public override FailureCategory Category => FailureCategory.Refused;

    public string Service { get; } = service;

    public RtasStatus Status { get; } = status;
}
