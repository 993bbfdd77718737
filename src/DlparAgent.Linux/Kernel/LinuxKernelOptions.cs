namespace DlparAgent.Linux.Kernel;

/// <summary>How <see cref="LinuxKernel"/> waits for busy slot operations.</summary>
public sealed record LinuxKernelOptions
{
    /// <summary>How long <c>add_slot</c>/<c>remove_slot</c> are retried while they answer EBUSY.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan BusyRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    public Action<TimeSpan> Sleep { get; init; } = Thread.Sleep;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The kernel DLPAR resources the agent may use (<c>memory,cpu,dt</c>; empty: none, the userspace path); null: all the kernel offers.</summary>
    public string? KernelDlpar { get; init; }
}
