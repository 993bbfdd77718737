using DlparAgent.Core.Engine;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Locking;

namespace DlparAgent.Hosting;

/// <summary>
/// The DR lock file of one platform, held at most once by this process: the first acquisition
/// takes the POSIX record lock (telling <c>notices</c> if it waits), later ones only count, and
/// the last release lets it go. Counting matters because closing any descriptor of the file would
/// drop the process's record lock.
/// </summary>
public sealed class ReentrantDrLock(Func<ILinuxNative> system, string path, TextWriter notices) : IDrLock
{
    private readonly Lock _gate = new();
    private DrLock? _held;
    private int _holders;

    public string Path { get; } = path;

    public IDisposable Acquire(TimeSpan? wait)
    {
        lock (_gate)
        {
            _held ??= DrLock.Acquire(system(), Path, wait, notices);
            _holders++;
            return new Release(this);
        }
    }

    private void Leave()
    {
        lock (_gate)
        {
            if (--_holders == 0)
            {
                _held?.Dispose();
                _held = null;
            }
        }
    }

    private sealed class Release(ReentrantDrLock owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Leave();
            }
        }
    }
}
