using DlparAgent.Core.Engine;

namespace DlparAgent.Service.Platforms;

/// <summary>Where an event's work runs: under the DR lock, with an engine on the partition, saved afterwards where the partition is emulated.</summary>
internal interface IEngineScope
{
    T Run<T>(Func<DlparEngine, T> work);
}
