using System.Runtime.CompilerServices;
using DlparAgent.Core.Engine;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Hosting;
using DlparAgent.Linux.Events;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Service.Platforms;

/// <summary>
/// The emulated partition of a state directory. Its events are the emulated kernel's error log:
/// when the machine file changes (inotify, not polling) the guest takes pending interrupts one
/// at a time and each record is read (and consumed) before the next interrupt, so a burst never
/// overruns the 64-record ring. A burst is handled in one hold of the DR lock and the machine
/// (no reload between events; each event carries that hold as its scope); the machine is saved
/// after each event, so a crash leaves what the per-operation path would: every finished event
/// saved, the current one in the journal.
/// </summary>
internal sealed class EmulatedServicePlatform(AgentHost host, ILogger logger) : IServicePlatform
{
    public string Description => $"emulated partition in {host.StateDirectory}";

    public T Run<T>(Func<DlparEngine, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);

        // DR lock first, then the machine: the order drmgr takes them in.
        using IDisposable held = host.DrLock.Acquire(null);
        using var backend = new EmulatedBackend(MachineLease.Open(host.StateDirectory));
        try
        {
            return new Hold(host, backend, logger).Run(work);
        }
        finally
        {
            backend.Save();
        }
    }

    public async IAsyncEnumerable<ServiceEvent> Events([EnumeratorCancellation] CancellationToken cancellation)
    {
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(host.StateDirectory, MachineStore.StateFileName)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite,
        };
        FileSystemEventHandler wake = (_, _) => Wake(changed);
        watcher.Changed += wake;
        watcher.Created += wake;
        watcher.Renamed += (_, _) => Wake(changed);
        watcher.EnableRaisingEvents = true;
        while (!cancellation.IsCancellationRequested)
        {
            using (IDisposable held = host.DrLock.Acquire(null))
            using (var backend = new EmulatedBackend(MachineLease.Open(host.StateDirectory)))
            {
                var log = new GuestErrorLog(backend.Lease.Partition.Kernel);
                var burst = new Hold(host, backend, logger);
                try
                {
                    foreach (byte[] slot in log.Records())
                    {
                        yield return new ServiceEvent(ErrorLogRecords.Decode(slot, bigEndianSequence: false), burst);
                        backend.Save();
                        log.MarkSaved();
                    }
                }
                finally
                {
                    // A record consumed but not yet handled, or interrupts the kernel handled itself.
                    if (log.Changed)
                    {
                        backend.Save();
                    }
                }
            }

            await changed.WaitAsync(cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Takes interrupts one by one and reads each record the kernel logs; saves only when something was taken.</summary>
    internal List<ErrorLogEntry> Drain()
    {
        using var lease = MachineLease.Open(host.StateDirectory);
        var log = new GuestErrorLog(lease.Partition.Kernel);
        List<ErrorLogEntry> entries = [.. log.Records().Select(slot => ErrorLogRecords.Decode(slot, bigEndianSequence: false))];
        if (log.Changed)
        {
            lease.Save();
        }

        return entries;
    }

    public void Dispose()
    {
    }

    private static void Wake(SemaphoreSlim changed)
    {
        // One pending wake-up is enough: a drain reads everything there is.
        if (changed.CurrentCount == 0)
        {
            changed.Release();
        }
    }

    /// <summary>The DR lock and the machine, already held: an event's work runs on the loaded partition.</summary>
    private sealed class Hold(AgentHost host, EmulatedBackend backend, ILogger logger) : IEngineScope
    {
        public T Run<T>(Func<DlparEngine, T> work) => work(host.CreateEngine(backend, ServiceEngineOptions.Default, logger));
    }
}
