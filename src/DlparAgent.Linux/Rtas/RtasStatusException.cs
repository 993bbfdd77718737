using DlparAgent.Core.Rtas;

namespace DlparAgent.Linux.Rtas;

/// <summary>A firmware service answered with an error status.</summary>
public sealed class RtasStatusException(string service, RtasStatus status)
    : Exception($"{service} failed with {status.Value} ({status.Describe()})")
{
    public string Service { get; } = service;

    public RtasStatus Status { get; } = status;
}
