using System.Buffers.Binary;

namespace DlparAgent.Linux.Interop;

/// <summary>The real system calls through libc, with the numbers of the running architecture.</summary>
public sealed unsafe class LibcNative : ILinuxNative
{
    private readonly LinuxAbi _abi;

    /// <param name="abi">The running architecture's table (<see cref="LinuxAbi.Current"/>).</param>
    public LibcNative(LinuxAbi abi)
    {
        ArgumentNullException.ThrowIfNull(abi);
        _abi = abi;
    }

    public LinuxAbi Abi => _abi;

    public bool IsRoot => Libc.GetEffectiveUserId() == 0;

    public long Syscall(int number, nint argument)
    {
        nint result = Libc.Syscall(number, argument);
        if (result == -1)
        {
            throw NativeCallException.FromLastError("syscall", number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return result;
    }

    public SafeFileDescriptor Open(string path, OpenMode mode)
    {
        return SafeFileDescriptor.Open(path, _abi.OpenFlagsOf(mode), LinuxAbi.CreateMode(mode));
    }

    public SafeFileDescriptor Adopt(int fd) => new(fd);

    public nint Map(SafeFileDescriptor fd, long offset, int length)
    {
        nint address = Libc.Mmap(0, length, _abi.MapFlags.ProtRead | _abi.MapFlags.ProtWrite, _abi.MapFlags.MapShared, fd, offset);
        if (address == -1)
        {
            throw NativeCallException.FromLastError("mmap", $"offset 0x{offset:x}");
        }

        return address;
    }

    public void Unmap(nint address, int length)
    {
        if (Libc.Munmap(address, length) != 0)
        {
            throw NativeCallException.FromLastError("munmap", null);
        }
    }

    public int Ioctl(SafeFileDescriptor fd, uint request, nint argument)
    {
        int result = Libc.Ioctl(fd, request, (void*)argument);
        if (result < 0)
        {
            throw NativeCallException.FromLastError("ioctl", $"0x{request:x8}");
        }

        return result;
    }

    public void LockRange(SafeFileDescriptor fd, long start, long length) => RecordLock(fd, _abi.Locks.SetLockWait, _abi.Locks.WriteLock, start, length);

    public void UnlockRange(SafeFileDescriptor fd, long start, long length) => RecordLock(fd, _abi.Locks.SetLock, _abi.Locks.Unlock, start, length);

    public int Read(SafeFileDescriptor fd, Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            nint read = Libc.Read(fd, bytes, buffer.Length);
            if (read < 0)
            {
                throw NativeCallException.FromLastError("read", null);
            }

            return (int)read;
        }
    }

    public int Write(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            while (true)
            {
                nint written = Libc.Write(fd, bytes, buffer.Length);
                if (written >= 0)
                {
                    return (int)written;
                }

                var error = NativeCallException.FromLastError("write", null);
                if (error.Errno != (int)Core.Kernel.Errno.EINTR)
                {
                    throw error;
                }
            }
        }
    }

    public bool TryLockRange(SafeFileDescriptor fd, long start, long length)
    {
        try
        {
            RecordLock(fd, _abi.Locks.SetLock, _abi.Locks.WriteLock, start, length);
            return true;
        }
        catch (NativeCallException error) when (error.Errno is (int)Core.Kernel.Errno.EAGAIN or (int)Core.Kernel.Errno.EACCES)
        {
            return false;
        }
    }

    public int ReadAt(SafeFileDescriptor fd, long offset, Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            nint read = Libc.PRead(fd, bytes, buffer.Length, offset);
            return read >= 0 ? (int)read : throw NativeCallException.FromLastError("pread", $"offset 0x{offset:x}");
        }
    }

    public int WriteAt(SafeFileDescriptor fd, long offset, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            nint written = Libc.PWrite(fd, bytes, buffer.Length, offset);
            return written >= 0 ? (int)written : throw NativeCallException.FromLastError("pwrite", $"offset 0x{offset:x}");
        }
    }

    public PathKind Stat(string path) => HostFiles.Stat(path);

    public byte[] ReadFile(string path) => HostFiles.ReadFile(path);

    public IReadOnlyList<DirectoryEntry> ListDirectory(string path) => HostFiles.ListDirectory(path);

    public string? ReadLink(string path) => HostFiles.ReadLink(path);

    public void CreateDirectory(string path) => HostFiles.CreateDirectory(path);

    private void RecordLock(SafeFileDescriptor fd, int command, short type, long start, long length)
    {
        LockAbi l = _abi.Locks;
        Span<byte> flock = stackalloc byte[l.FlockSize];
        flock.Clear();
        // struct flock is host-endian.
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteInt16LittleEndian(flock[l.TypeOffset..], type);
            BinaryPrimitives.WriteInt64LittleEndian(flock[l.StartOffset..], start);
            BinaryPrimitives.WriteInt64LittleEndian(flock[l.LengthOffset..], length);
        }
        else
        {
            BinaryPrimitives.WriteInt16BigEndian(flock[l.TypeOffset..], type);
            BinaryPrimitives.WriteInt64BigEndian(flock[l.StartOffset..], start);
            BinaryPrimitives.WriteInt64BigEndian(flock[l.LengthOffset..], length);
        }

        fixed (byte* argument = flock)
        {
            while (Libc.Fcntl(fd, command, argument) != 0)
            {
                var error = NativeCallException.FromLastError("fcntl", $"lock [{start}, +{length})");
                if (error.Errno != (int)Core.Kernel.Errno.EINTR)
                {
                    throw error;
                }
            }
        }
    }
}
