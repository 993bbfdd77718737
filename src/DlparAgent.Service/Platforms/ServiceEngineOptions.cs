using DlparAgent.Core.Engine;

namespace DlparAgent.Service.Platforms;

/// <summary>How the service paces the engine: no overall limit beyond a generous one per event (RTAS retries included).</summary>
internal static class ServiceEngineOptions
{
    public static EngineOptions Default { get; } = new() { Timeout = TimeSpan.FromMinutes(10) };
}
