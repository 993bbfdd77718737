using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>A firmware step failed: which call, on which connector, with which status.</summary>
public sealed class RtasCallException(string step, uint index, RtasStatus status)
    : Exception($"{step} on 0x{index:x8} failed with {status.Value} ({status.Describe()})")
{
    public RtasStatus Status { get; } = status;
}
