using System.Runtime.CompilerServices;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Linux.Events;
using DlparAgent.Linux.Locking;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Service.Platforms;

/// <summary>
/// The emulated partition of a state directory. Its events are the emulated kernel's error log:
/// when the machine file changes (inotify, not polling) the guest takes pending interrupts one
/// at a time and each record is read (and consumed) before the next interrupt, so a burst never
/// overruns the 64-record ring. A burst is handled in one hold of the DR lock and the machine
/// (no reload between events); the machine is saved after each event, so a crash leaves what the
/// per-operation path would: every finished event saved, the current one in the journal.
/// </summary>
internal sealed class EmulatedServicePlatform(string directory, string drLockPath, ILogger logger) : IServicePlatform
{
    private static readonly TimeSpan MachineLockTimeout = TimeSpan.FromMinutes(2);

    private EmulatedPartition? _burst;

    public string Description => $"emulated partition in {directory}";

    public string JournalPath => Path.Combine(directory, "journal");

    public T Run<T>(Func<DlparEngine, IRtas, T> work)
    {
        if (_burst is { } loaded)
        {
            return work(EngineFactory.Create(loaded.Platform, loaded.Kernel, JournalPath, logger), loaded.Platform);
        }

        // DR lock first, then the machine: the order drmgr takes them in.
        using DrLock held = DrLock.Acquire(drLockPath, null, TextWriter.Null);
        using MachineStore store = MachineStore.Open(directory, MachineLockTimeout);
        EmulatedPartition partition = EmulatedPartition.Load(store.Load());
        try
        {
            return work(EngineFactory.Create(partition.Platform, partition.Kernel, JournalPath, logger), partition.Platform);
        }
        finally
        {
            store.Save(partition.Persist());
        }
    }

    public async IAsyncEnumerable<ErrorLogEntry> Events([EnumeratorCancellation] CancellationToken cancellation)
    {
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(directory, MachineStore.StateFileName)
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
            using (DrLock held = DrLock.Acquire(drLockPath, null, TextWriter.Null))
            using (MachineStore store = MachineStore.Open(directory, MachineLockTimeout))
            {
                EmulatedPartition partition = EmulatedPartition.Load(store.Load());
                var log = new GuestErrorLog(partition.Kernel);
                _burst = partition;
                try
                {
                    foreach (byte[] slot in log.Records())
                    {
                        yield return ErrorLogRecords.Decode(slot, bigEndianSequence: false);
                        store.Save(partition.Persist());
                        log.MarkSaved();
                    }
                }
                finally
                {
                    _burst = null;

                    // A record consumed but not yet handled, or interrupts the kernel handled itself.
                    if (log.Changed)
                    {
                        store.Save(partition.Persist());
                    }
                }
            }

            await changed.WaitAsync(cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Takes interrupts one by one and reads each record the kernel logs; saves only when something was taken.</summary>
    internal List<ErrorLogEntry> Drain()
    {
        using MachineStore store = MachineStore.Open(directory, MachineLockTimeout);
        EmulatedPartition partition = EmulatedPartition.Load(store.Load());
        var log = new GuestErrorLog(partition.Kernel);
        List<ErrorLogEntry> entries = [.. log.Records().Select(slot => ErrorLogRecords.Decode(slot, bigEndianSequence: false))];
        if (log.Changed)
        {
            store.Save(partition.Persist());
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
}
