using DlparAgent.Core.Engine;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Service.Platforms;

/// <summary>The engine the service runs events with: the partition's journal, no overall time limit beyond RTAS retries.</summary>
internal static class EngineFactory
{
    public static DlparEngine Create(IRtas rtas, IGuestKernel kernel, string journalPath, ILogger logger) =>
        new(rtas, kernel, new FileJournal(journalPath), new EngineOptions { Timeout = TimeSpan.FromMinutes(10) }, logger);
}
