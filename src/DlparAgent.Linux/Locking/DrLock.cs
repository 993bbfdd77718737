using System.Diagnostics;
using DlparAgent.Core.Failures;

namespace DlparAgent.Linux.Locking;

/// <summary>
/// The DR configuration lock: a POSIX write lock on byte 0 of <c>dr_config_lock</c>, the range
/// drmgr, lsslot and RSCT lock, so the agent and upstream tools exclude each other. Unlike
/// upstream (spec §4.1), the wait really lasts up to <c>-w</c> minutes; without <c>-w</c> it has no limit.
/// </summary>
public sealed class DrLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _file;

    private DrLock(FileStream file) => _file = file;

    /// <summary>Takes the lock, telling <paramref name="notices"/> once if it has to wait.</summary>
    /// <exception cref="DrLockException">The lock could not be opened or was not free in time.</exception>
    public static DrLock Acquire(string path, TimeSpan? wait, TextWriter notices)
    {
        FileStream file;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            // FileShare.ReadWrite keeps .NET from adding its own flock(): only the POSIX record lock counts.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new DrLockException(error is UnauthorizedAccessException ? FailureCategory.NotPermitted : FailureCategory.Io, $"{path}: {error.Message}",
                error);
        }

        var waited = Stopwatch.StartNew();
        bool told = false;
        while (true)
        {
            try
            {
                file.Lock(0, 1);
                return new DrLock(file);
            }
            catch (IOException error)
            {
                if (wait is { } limit && waited.Elapsed >= limit)
                {
                    file.Dispose();
                    throw new DrLockException(FailureCategory.Busy, "Unable to obtain Dynamic Reconfiguration lock. Please try command again later.", error);
                }

                if (!told)
                {
                    notices.WriteLine($"Waiting for the Dynamic Reconfiguration lock {path}, held by another DR " +
                        $"command{(wait is { } w ? $" (up to {w.TotalMinutes:0} min)" : string.Empty)}");
                    told = true;
                }

                Thread.Sleep(RetryInterval);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _file.Unlock(0, 1);
        }
        catch (IOException)
        {
            // Closing the file releases the lock anyway.
        }

        _file.Dispose();
    }
}
