using DlparAgent.Core.Failures;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>A firmware step failed: which call, on which connector, with which status.</summary>
public sealed class RtasCallException(string step, uint index, RtasStatus status)
    : DlparAgentException($"{step} on 0x{index:x8} failed with {status.Value} ({status.Describe()})")
{
    public override FailureCategory Category => FailureCategory.Refused;

    public RtasStatus Status { get; } = status;
}
