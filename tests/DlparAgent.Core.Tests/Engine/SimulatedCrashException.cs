namespace DlparAgent.Core.Tests.Engine;

/// <summary>The process died here: nothing after this point runs, no rollback, no journal end.</summary>
internal sealed class SimulatedCrashException : Exception;
