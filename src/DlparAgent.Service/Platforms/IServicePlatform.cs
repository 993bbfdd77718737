using DlparAgent.Core.Engine;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux.Events;

namespace DlparAgent.Service.Platforms;

/// <summary>The partition the service works on, real or emulated: where its events come from and how an operation runs.</summary>
internal interface IServicePlatform : IDisposable
{
    /// <summary>How the service names it in its log and status.</summary>
    string Description { get; }

    /// <summary>
    /// Runs work under the DR lock (shared with drmgr, lsslot and RSCT), then with the partition:
    /// an engine on its journal, and its firmware for failure signalling. The emulated machine is
    /// saved afterwards.
    /// </summary>
    T Run<T>(Func<DlparEngine, IRtas, T> work);

    /// <summary>The error-log records, in order, as they arrive; blocks (no polling) between them.</summary>
    IAsyncEnumerable<ErrorLogEntry> Events(CancellationToken cancellation);
}
