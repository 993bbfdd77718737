namespace DlparAgent.Linux.Kernel;

/// <summary>How <see cref="LinuxKernel"/> waits for busy slot operations.</summary>
public sealed record LinuxKernelOptions
{
    /// <summary>How long <c>add_slot</c>/<c>remove_slot</c> are retried while they answer EBUSY.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan BusyRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
