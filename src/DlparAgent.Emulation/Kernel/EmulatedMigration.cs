using System.Globalization;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>
/// Live Partition Mobility as the partition sees it: the HMC opens a VASI stream for the migration
/// (<see cref="Open"/>), then has drmgr give its id to the kernel, whose write to
/// <c>/sys/kernel/mobility/migration</c> suspends the partition until it runs on the destination.
/// A write naming no open stream fails as the hypervisor's H_VASI_STATE refusal does (EINVAL).
/// </summary>
public sealed class EmulatedMigration(ulong nextStream = 0x4d49_4700_0001, ulong? openStream = null, int completed = 0)
{
    public ulong NextStream { get; private set; } = nextStream;

    /// <summary>The stream the HMC opened and no migration has used yet.</summary>
    public ulong? OpenStream { get; private set; } = openStream;

    public int Completed { get; private set; } = completed;

    /// <summary>The HMC's side: a new stream for a migration of this partition.</summary>
    public ulong Open()
    {
        if (OpenStream is { } open)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"a migration is already under way on stream 0x{open:x}; cancel it first"));
        }

        OpenStream = NextStream++;
        return OpenStream.Value;
    }

    /// <summary>The HMC's side: the migration is called off before the partition suspends.</summary>
    public bool Cancel()
    {
        bool open = OpenStream is not null;
        OpenStream = null;
        return open;
    }

    /// <summary>The kernel's write: suspend on the stream, resume on the destination.</summary>
    public void Suspend(ulong stream)
    {
        if (OpenStream != stream)
        {
            throw new KernelException(Errno.EINVAL, string.Create(CultureInfo.InvariantCulture,
                $"{KernelWrites.Migration}: no migration is under way on stream 0x{stream:x}"));
        }

        OpenStream = null;
        Completed++;
    }
}
