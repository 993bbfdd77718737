using DlparAgent.Core.Requests;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Service;

/// <summary>The service's log messages (source-generated; journald gets them with their priority under systemd).</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "dlpard {Version} started on {Platform}")]
    public static partial void Started(ILogger logger, string version, string platform);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery: {Report}")]
    public static partial void Recovered(ILogger logger, string report);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Sequence}: {Request}")]
    public static partial void Dispatching(ILogger logger, int sequence, DlparRequest request);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Sequence}: {Request}: {Done} of {Requested} done ({Path} path)")]
    public static partial void Done(ILogger logger, int sequence, DlparRequest request, int done, int requested, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Sequence}: {Request} failed: {Reason}")]
    public static partial void Failed(ILogger logger, int sequence, DlparRequest request, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Sequence}: signalled the failure to the platform by unisolating {Connectors}")]
    public static partial void Signalled(ILogger logger, int sequence, string connectors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {Sequence}: EPOW action {Action} ({Meaning}), modifier {Modifier}, sensor 0x{Sensor:x2}")]
    public static partial void Epow(ILogger logger, int sequence, int action, string meaning, int modifier, int sensor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a malformed error-log record ({Length} bytes): {Problem}")]
    public static partial void Malformed(ILogger logger, int length, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Sequence}: skipped: {Reason}")]
    public static partial void Skipped(ILogger logger, int sequence, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot recover the journal: {Message}")]
    public static partial void RecoveryFailed(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "The event source failed: {Message}")]
    public static partial void SourceFailed(ILogger logger, string message);
}
