using DlparAgent.Core.Requests;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Core.Engine;

/// <summary>The engine's log messages (source-generated, so disabled levels cost nothing).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "DLPAR {Operation}: {Request}")]
    public static partial void Started(ILogger logger, long operation, DlparRequest request);

    /// <summary>The result line, with the mechanism's word and the error (if any) put together only when it is logged.</summary>
    public static void Finished(ILogger logger, long operation, DlparResult result)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string path = result.Mechanism.Word();
            string error = result.Error is null ? string.Empty : ": " + result.Error;
            Finished(logger, operation, result.Done, result.Requested, path, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DLPAR {Operation}: {Done} of {Requested} done by the {Path} path{Error}")]
    private static partial void Finished(ILogger logger, long operation, int done, int requested, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DLPAR {Operation} ({Request}) was interrupted and has been recovered")]
    public static partial void Recovered(ILogger logger, long operation, DlparRequest request);
}
