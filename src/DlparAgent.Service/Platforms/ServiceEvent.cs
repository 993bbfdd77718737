using DlparAgent.Linux.Events;

namespace DlparAgent.Service.Platforms;

/// <summary>One error-log record and the scope its work runs in (a burst of events shares one hold of the lock and the machine).</summary>
internal sealed record ServiceEvent(ErrorLogEntry Entry, IEngineScope Scope);
