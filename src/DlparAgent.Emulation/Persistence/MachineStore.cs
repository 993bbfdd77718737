using System.Buffers;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Files;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Persistence;

/// <summary>
/// The state directory of an emulated machine. Opening it takes an exclusive lock (waiting for
/// another process to finish); saving writes a temporary file, fsyncs it and renames it over the
/// state file, so a crash leaves either the old state or the new one. Side files (the guest state
/// of a QEMU machine, say) are read and written the same way under the same lock. Every file is
/// checked before it is opened: a regular file of the caller's, or nothing (<see cref="OwnedFile"/>).
/// </summary>
public sealed class MachineStore : IDisposable
{
    public const string EnvironmentVariable = "DLPAR_STATE_DIR";
    public const string StateFileName = "machine.state";
    private const string LockFileName = "machine.lock";

    /// <summary>Far above the state of the largest partition (a 64 TiB machine's LMB table and device tree).</summary>
    private const long MaxStateBytes = 1L << 30;

    private readonly FileStream _lock;

    private MachineStore(string directory, FileStream lockStream)
    {
        Directory = directory;
        _lock = lockStream;
    }

    public string Directory { get; }

    public string StatePath => Path.Combine(Directory, StateFileName);

    public bool Exists => File.Exists(StatePath);

    /// <summary>
    /// <c>$DLPAR_STATE_DIR</c>, else <c>/var/lib/dlpar-agent/emulated</c> for root, else
    /// <c>$XDG_STATE_HOME/dlpar-agent/emulated</c> (XDG's default <c>~/.local/state</c>).
    /// </summary>
    public static string DefaultDirectory(Func<string, string?> environment, bool isRoot)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(EnvironmentVariable) is { Length: > 0 } explicitDirectory)
        {
            return explicitDirectory;
        }

        if (isRoot)
        {
            return "/var/lib/dlpar-agent/emulated";
        }

        string stateHome = environment("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(stateHome, "dlpar-agent", "emulated");
    }

    /// <summary>Opens (creating) the directory and takes its lock, waiting up to <paramref name="lockTimeout"/>.</summary>
    public static MachineStore Open(string directory, TimeSpan lockTimeout)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException(StateProblem.Io, $"cannot create the state directory: {IoFailures.Describe(error)}", error);
        }

        string lockPath = Path.Combine(directory, LockFileName);
        OwnedFile.Check(lockPath);
        var waited = Stopwatch.StartNew();
        int backoff = 1;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock() on Linux, honoured by every other dlpar process.
                return new MachineStore(directory, new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (UnauthorizedAccessException error)
            {
                throw new StateFileException(StateProblem.Io, $"cannot open the machine lock: {IoFailures.Describe(error)}", error);
            }
            catch (IOException error) when (!IoFailures.IsLockHeld(error))
            {
                // A read-only or full file system, an I/O error: waiting would not help.
                throw new StateFileException(StateProblem.Io, $"cannot lock the machine: {IoFailures.Describe(error)}", error);
            }
            catch (IOException) when (waited.Elapsed < lockTimeout)
            {
                // .NET's flock is non-blocking: retry soon (a holder is usually about to finish), then less often.
                Thread.Sleep(backoff);
                backoff = Math.Min(backoff * 2, 20);
            }
            catch (IOException error)
            {
                throw new StateFileException(StateProblem.Locked, $"{directory} is locked by another process (waited {lockTimeout.TotalSeconds:F0} s)", error);
            }
        }
    }

    public MachineState Load()
    {
        byte[]? rented = null;
        OwnedFile.Check(StatePath);
        try
        {
            using SafeFileHandle handle = File.OpenHandle(StatePath, FileMode.Open, FileAccess.Read);
            long length = RandomAccess.GetLength(handle);
            if (length > MaxStateBytes)
            {
                throw new StateFileException(StateProblem.Unreadable, $"{StatePath} is {length} bytes, larger than any machine state");
            }

            rented = ArrayPool<byte>.Shared.Rent((int)length);
            int read = 0;
            while (read < length)
            {
                int chunk = RandomAccess.Read(handle, rented.AsSpan(read, (int)length - read), read);
                if (chunk == 0)
                {
                    break;
                }

                read += chunk;
            }

            return MachineStateCodec.Decode(rented.AsSpan(0, read), StatePath);
        }
        catch (FileNotFoundException)
        {
            throw new StateFileException(StateProblem.Missing, $"there is no emulated machine in {Directory}; create one with 'dlpar platform init'");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException(StateProblem.Io, $"cannot read the machine state: {IoFailures.Describe(error)}", error);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public void Save(MachineState machine) => Replace(StatePath, file => MachineStateCodec.Write(machine, file));

    /// <summary>A side file's bytes, or null when there is none.</summary>
    public byte[]? ReadSideFile(string name)
    {
        string path = SidePath(name);
        OwnedFile.Check(path);
        try
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException(StateProblem.Io, $"cannot read {Path.GetFileName(path)}: {IoFailures.Describe(error)}", error);
        }
    }

    /// <summary>Replaces a side file as the state file is replaced: written aside, flushed, renamed.</summary>
    public void WriteSideFile(string name, ReadOnlyMemory<byte> bytes) => Replace(SidePath(name), file => file.Write(bytes.Span));

    public void DeleteSideFile(string name) => File.Delete(SidePath(name));

    private string SidePath(string name) =>
        name.Length > 0 && name.IndexOfAny(['/', '\\']) < 0 && name != StateFileName && name != LockFileName
            ? Path.Combine(Directory, name)
            : throw new ArgumentException($"'{name}' is not a side file name", nameof(name));

    private static void Replace(string path, Action<FileStream> write)
    {
        try
        {
            AtomicFile.Replace(path, write);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new StateFileException(StateProblem.Io, $"cannot save {Path.GetFileName(path)}: {IoFailures.Describe(error)}", error);
        }
    }

    /// <summary>Removes the state file (the lock stays held until disposal).</summary>
    public void Delete()
    {
        File.Delete(StatePath);
    }

    public void Dispose() => _lock.Dispose();
}
