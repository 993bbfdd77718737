namespace DlparAgent.Service.Platforms;

/// <summary>
/// The partition the service works on, real or emulated: where its events come from, and (as a
/// scope of its own) how work outside an event runs, recovery at start-up for one.
/// </summary>
internal interface IServicePlatform : IEngineScope, IDisposable
{
    /// <summary>How the service names it in its log and status.</summary>
    string Description { get; }

    /// <summary>The error-log records, in order, as they arrive; blocks (no polling) between them.</summary>
    IAsyncEnumerable<ServiceEvent> Events(CancellationToken cancellation);
}
