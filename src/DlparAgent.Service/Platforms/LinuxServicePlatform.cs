using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux;
using DlparAgent.Linux.Events;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Kernel;
using DlparAgent.Linux.Locking;
using DlparAgent.Linux.Rtas;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Service.Platforms;

/// <summary>
/// This partition: the rtas syscall and the kernel's files, and the rtasd error log read by a
/// dedicated thread with blocking reads (the kernel wakes it; nothing polls).
/// </summary>
internal sealed class LinuxServicePlatform(LinuxPaths paths, ILinuxNative native, ILogger logger) : IServicePlatform
{
    private readonly SysRtas _rtas = new(paths, native);
    private readonly LinuxKernel _kernel = new(paths, native);

    public string Description => paths.Root == "/" ? "this partition" : $"the partition below {paths.Root}";

    public string JournalPath => paths.Resolve("/var/lib/dlpar-agent/journal");

    public T Run<T>(Func<DlparEngine, IRtas, T> work)
    {
        using DrLock held = DrLock.Acquire(Environment.GetEnvironmentVariable("DLPAR_DR_LOCK_FILE") is { Length: > 0 } path ? path : paths.Resolve("/var/lock/dr_config_lock"), null, TextWriter.Null);
        return work(EngineFactory.Create(_rtas, _kernel, JournalPath, logger), _rtas);
    }

    public async IAsyncEnumerable<ErrorLogEntry> Events([EnumeratorCancellation] CancellationToken cancellation)
    {
        RtasErrorLog log = RtasErrorLog.Open(paths, native);
        var records = Channel.CreateBounded<ErrorLogEntry>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });

        // A blocked read(2) cannot be cancelled; the thread is a background thread and ends with the process.
        var reader = new Thread(() =>
        {
            try
            {
                while (log.ReadNext() is { } entry)
                {
                    records.Writer.WriteAsync(entry).AsTask().GetAwaiter().GetResult();
                }

                records.Writer.TryComplete();
            }
            catch (Exception error) when (error is NativeCallException or ChannelClosedException)
            {
                records.Writer.TryComplete(error);
            }
        })
        {
            IsBackground = true,
            Name = "rtasd error log",
        };
        reader.Start();
        await foreach (ErrorLogEntry entry in records.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    public void Dispose() => _rtas.Dispose();
}
