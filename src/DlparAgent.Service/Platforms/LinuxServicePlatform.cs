using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DlparAgent.Core.Engine;
using DlparAgent.Hosting;
using DlparAgent.Linux.Events;
using DlparAgent.Linux.Interop;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Service.Platforms;

/// <summary>
/// This partition: the rtas syscall and the kernel's files, and the rtasd error log read by a
/// dedicated thread with blocking reads (the kernel wakes it; nothing polls). Every event takes
/// the DR lock for itself.
/// </summary>
internal sealed class LinuxServicePlatform(AgentHost host, ILogger logger) : IServicePlatform
{
    private readonly LinuxBackend _backend = (LinuxBackend)host.OpenBackend();

    public string Description => host.LinuxPaths.Root == "/" ? "this partition" : $"the partition below {host.LinuxPaths.Root}";

    public T Run<T>(Func<DlparEngine, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using IDisposable held = host.DrLock.Acquire(null);
        return work(host.CreateEngine(_backend, ServiceEngineOptions.Default, logger));
    }

    public async IAsyncEnumerable<ServiceEvent> Events([EnumeratorCancellation] CancellationToken cancellation)
    {
        RtasErrorLog log = _backend.OpenErrorLog();
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
            yield return new ServiceEvent(entry, this);
        }
    }

    public void Dispose() => _backend.Dispose();
}
