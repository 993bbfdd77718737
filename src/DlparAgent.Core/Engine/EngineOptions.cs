namespace DlparAgent.Core.Engine;

/// <summary>How the engine paces itself.</summary>
public sealed record EngineOptions
{
    /// <summary>Overall time limit (drmgr's <c>-w</c>); checked between connectors and while retrying busy firmware.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How the engine waits for an extended delay (990x); tests inject a no-op.</summary>
    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    /// <summary>Seed for the random order of memory removal (drmgr shuffles); null for a new one each time.</summary>
    public int? RandomSeed { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Told when an operation starts and each time it settles a connector; null for none.</summary>
    public IProgress<DlparProgress>? Progress { get; init; }

    /// <summary>Busy answers tolerated in a row before a call counts as failed.</summary>
    public int MaxBusyRetries { get; init; } = 10_000;
}
