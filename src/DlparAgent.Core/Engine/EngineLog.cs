using DlparAgent.Core.Requests;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Core.Engine;

/// <summary>The engine's log messages (source-generated, so disabled levels cost nothing).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "DLPAR {Operation}: {Request}")]
    public static partial void Started(ILogger logger, long operation, DlparRequest request);

    [LoggerMessage(Level = LogLevel.Information, Message = "DLPAR {Operation}: {Done} of {Requested} done by the {Path} path{Error}")]
    public static partial void Finished(ILogger logger, long operation, int done, int requested, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DLPAR {Operation} ({Request}) was interrupted and has been recovered")]
    public static partial void Recovered(ILogger logger, long operation, DlparRequest request);
}
