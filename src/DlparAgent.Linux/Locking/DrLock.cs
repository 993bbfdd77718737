using System.Diagnostics;
using DlparAgent.Core.Failures;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Locking;

/// <summary>
/// The DR configuration lock: a POSIX write lock on byte 0 of <c>dr_config_lock</c>, the range
/// drmgr, lsslot and RSCT lock, so the agent and upstream tools exclude each other. Unlike
/// upstream (spec §4.1), the wait really lasts up to <c>-w</c> minutes; without <c>-w</c> it has no limit.
/// </summary>
public sealed class DrLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    private readonly ILinuxNative _native;
    private readonly SafeFileDescriptor _file;

    private DrLock(ILinuxNative native, SafeFileDescriptor file)
    {
        _native = native;
        _file = file;
    }

    /// <summary>Takes the lock, telling <paramref name="notices"/> once if it has to wait.</summary>
    /// <exception cref="DrLockException">The lock could not be opened or was not free in time.</exception>
    public static DrLock Acquire(ILinuxNative native, string path, TimeSpan? wait, TextWriter notices)
    {
        ArgumentNullException.ThrowIfNull(native);
        ArgumentNullException.ThrowIfNull(notices);
        SafeFileDescriptor file;
        try
        {
            native.CreateDirectory(Path.GetDirectoryName(path) is { Length: > 0 } directory ? directory : "/");
            file = native.Open(path, OpenMode.ReadWrite | OpenMode.Create);
        }
        catch (NativeCallException error)
        {
            throw new DrLockException(error.Category, $"{path}: {error.Message}", error);
        }

        var waited = Stopwatch.StartNew();
        bool told = false;
        while (true)
        {
            bool locked;
            try
            {
                locked = native.TryLockRange(file, 0, 1);
            }
            catch (NativeCallException error)
            {
                file.Dispose();
                throw new DrLockException(error.Category, $"{path}: {error.Message}", error);
            }

            if (locked)
            {
                return new DrLock(native, file);
            }

            if (wait is { } limit && waited.Elapsed >= limit)
            {
                file.Dispose();
                throw new DrLockException(FailureCategory.Busy, "Unable to obtain Dynamic Reconfiguration lock. Please try command again later.");
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

    public void Dispose()
    {
        try
        {
            _native.UnlockRange(_file, 0, 1);
        }
        catch (NativeCallException)
        {
            // Closing the file releases the lock anyway.
        }

        _file.Dispose();
    }
}
