namespace DlparAgent.Core.Formats.Events;

/// <summary>One record of <c>/proc/powerpc/rtas/error_log</c>: rtasd's sequence number and the event log.</summary>
public sealed record RtasdRecord(int Sequence, RtasEventLog Log);
