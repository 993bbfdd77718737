namespace DlparAgent.Linux.Interop;

/// <summary>
/// The system calls the backend makes, behind one seam: the file system as well as the <c>rtas</c>
/// syscall and the PAPR ioctls, so that tests can serve them from the emulated platform on any
/// machine and a real guest can carry them out remotely (<see cref="Remote.RemoteNative"/>).
/// Every failure throws <see cref="NativeCallException"/> with the errno.
/// </summary>
public interface ILinuxNative
{
    /// <summary>The ABI of the kernel behind this layer: the <c>rtas</c> syscall number and the ioctl encoding.</summary>
    LinuxAbi Abi { get; }

    /// <summary>Whether the process runs with effective uid 0.</summary>
    bool IsRoot { get; }

    /// <summary><c>syscall(number, argument)</c>, for the <c>rtas</c> call with a pointer to its argument block.</summary>
    long Syscall(int number, nint argument);

    SafeFileDescriptor Open(string path, OpenMode mode);

    /// <summary>Takes ownership of a descriptor a call returned (the handles the PAPR ioctls create).</summary>
    SafeFileDescriptor Adopt(int fd);

    /// <summary><c>mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, offset)</c>.</summary>
    nint Map(SafeFileDescriptor fd, long offset, int length);

    void Unmap(nint address, int length);

    /// <summary><c>ioctl(fd, request, argument)</c>; returns the call's non-negative result (a new fd for the PAPR handles).</summary>
    int Ioctl(SafeFileDescriptor fd, uint request, nint argument);

    /// <summary>A blocking exclusive POSIX record lock (<c>F_SETLKW</c>, <c>F_WRLCK</c>) on [start, start + length).</summary>
    void LockRange(SafeFileDescriptor fd, long start, long length);

    /// <summary><c>F_UNLCK</c> on [start, start + length).</summary>
    void UnlockRange(SafeFileDescriptor fd, long start, long length);

    /// <summary>One <c>read(2)</c>; blocks as the file does; 0 at end of file.</summary>
    int Read(SafeFileDescriptor fd, Span<byte> buffer);

    /// <summary>One <c>write(2)</c> of the whole buffer (kernel files take a request per write); returns the bytes the kernel took.</summary>
    int Write(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer);

    /// <summary><c>F_SETLK</c>, <c>F_WRLCK</c> on [start, start + length): false when another process holds a conflicting lock.</summary>
    bool TryLockRange(SafeFileDescriptor fd, long start, long length);

    /// <summary><c>pread(2)</c>: at most the buffer's length from <paramref name="offset"/>.</summary>
    int ReadAt(SafeFileDescriptor fd, long offset, Span<byte> buffer);

    /// <summary><c>pwrite(2)</c> of the buffer at <paramref name="offset"/>; returns the bytes written.</summary>
    int WriteAt(SafeFileDescriptor fd, long offset, ReadOnlySpan<byte> buffer);

    /// <summary><c>stat(2)</c> (links followed): what the path names, <see cref="PathKind.Missing"/> when nothing.</summary>
    PathKind Stat(string path);

    /// <summary>The whole file, read to its end (kernel files, device-tree properties).</summary>
    byte[] ReadFile(string path);

    /// <summary>The entries of a directory (no <c>.</c> and <c>..</c>), in the order the kernel gives them.</summary>
    IReadOnlyList<DirectoryEntry> ListDirectory(string path);

    /// <summary><c>readlink(2)</c>: where a symbolic link points; null when the path is not a link.</summary>
    string? ReadLink(string path);

    /// <summary><c>mkdir -p</c>.</summary>
    void CreateDirectory(string path);
}
