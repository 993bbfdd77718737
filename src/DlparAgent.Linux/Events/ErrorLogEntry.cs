using DlparAgent.Core.Formats.Events;

namespace DlparAgent.Linux.Events;

/// <summary>One read of the rtasd error log: the decoded record, or the raw bytes and why they could not be decoded.</summary>
public sealed record ErrorLogEntry(RtasdRecord? Record, byte[] Raw, string? Problem)
{
    public bool IsValid => Record is not null;
}
