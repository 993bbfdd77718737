using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace DlparAgent.Linux.Interop.Remote;

/// <summary>
/// <see cref="ILinuxNative"/> carried out on another Linux system (the real test guest) by its
/// helper, one forwarded call per system call. The backend's code stays on this side and decides
/// every path and byte. A region mapped from <c>/dev/mem</c> (the RMO work areas) is shadowed
/// here: written to the guest's memory before each rtas call and read back after it.
/// </summary>
public sealed unsafe class RemoteNative : ILinuxNative, IDisposable
{
    private readonly HelperConnection _helper;
    private readonly Lock _memoryLock = new();
    private readonly Dictionary<nint, MappedRegion> _mapped = [];
    private readonly Lazy<bool> _isRoot;

    public RemoteNative(HelperConnection helper, LinuxAbi abi)
    {
        ArgumentNullException.ThrowIfNull(helper);
        ArgumentNullException.ThrowIfNull(abi);
        _helper = helper;
        Abi = abi;
        _isRoot = new Lazy<bool>(() => Call(HelperOperation.EffectiveUserId, [], "geteuid", null).Result == 0);
    }

    public LinuxAbi Abi { get; }

    public bool IsRoot => _isRoot.Value;

    /// <summary>The connection, for its call counts.</summary>
    public HelperConnection Helper => _helper;

    public long Syscall(int number, nint argument)
    {
        if (number != Abi.RtasSyscall)
        {
            throw new NativeCallException("syscall", number.ToString(System.Globalization.CultureInfo.InvariantCulture), 38 /* ENOSYS */);
        }

        // The work areas' shadows go to the guest's memory, the call runs, and they come back: one call at a time.
        lock (_memoryLock)
        {
            foreach (MappedRegion region in _mapped.Values)
            {
                WriteAt(region.Fd, region.Offset, new ReadOnlySpan<byte>((void*)region.Address, region.Length));
            }

            var block = new Span<byte>((void*)argument, Rtas.RtasArgs.Size);
            HelperReply reply = Call(HelperOperation.Rtas, block, "syscall", "rtas");
            reply.Payload.AsSpan(0, Math.Min(reply.Payload.Length, block.Length)).CopyTo(block);
            foreach (MappedRegion region in _mapped.Values)
            {
                ReadExactlyAt(region.Fd, region.Offset, new Span<byte>((void*)region.Address, region.Length));
            }

            return reply.Result;
        }
    }

    public SafeFileDescriptor Open(string path, OpenMode mode)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] name = Encoding.UTF8.GetBytes(path);
        byte[] payload = new byte[8 + name.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, Abi.OpenFlagsOf(mode));
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), LinuxAbi.CreateMode(mode));
        name.CopyTo(payload, 8);
        return Adopt((int)Call(HelperOperation.Open, payload, "open", path).Result);
    }

    public SafeFileDescriptor Adopt(int fd) => new(fd, Close);

    public nint Map(SafeFileDescriptor fd, long offset, int length)
    {
        ArgumentNullException.ThrowIfNull(fd);
        nint address = (nint)NativeMemory.AllocZeroed((nuint)length);
        try
        {
            ReadExactlyAt(fd, offset, new Span<byte>((void*)address, length));
        }
        catch
        {
            NativeMemory.Free((void*)address);
            throw;
        }

        lock (_memoryLock)
        {
            _mapped[address] = new MappedRegion(fd, offset, length, address);
        }

        return address;
    }

    public void Unmap(nint address, int length)
    {
        lock (_memoryLock)
        {
            if (!_mapped.Remove(address))
            {
                throw new NativeCallException("munmap", $"0x{address:x}", 22 /* EINVAL */);
            }
        }

        NativeMemory.Free((void*)address);
    }

    public int Ioctl(SafeFileDescriptor fd, uint request, nint argument)
    {
        ArgumentNullException.ThrowIfNull(fd);
        int size = (int)((request >> 16) & ((1u << Abi.IocSizeBits) - 1));
        byte[] payload = new byte[12 + size];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd.Number);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), request);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), size);
        var block = new Span<byte>((void*)argument, size);
        block.CopyTo(payload.AsSpan(12));
        HelperReply reply = Call(HelperOperation.Ioctl, payload, "ioctl", $"0x{request:x8}");
        reply.Payload.AsSpan(0, Math.Min(size, reply.Payload.Length)).CopyTo(block);
        return (int)reply.Result;
    }

    public void LockRange(SafeFileDescriptor fd, long start, long length) =>
        Lock(fd, Abi.Locks.SetLockWait, Abi.Locks.WriteLock, start, length, unbounded: true);

    public void UnlockRange(SafeFileDescriptor fd, long start, long length) => Lock(fd, Abi.Locks.SetLock, Abi.Locks.Unlock, start, length);

    public bool TryLockRange(SafeFileDescriptor fd, long start, long length)
    {
        try
        {
            Lock(fd, Abi.Locks.SetLock, Abi.Locks.WriteLock, start, length);
            return true;
        }
        catch (NativeCallException error) when (error.Errno is 11 or 13 /* EAGAIN, EACCES */)
        {
            return false;
        }
    }

    public int Read(SafeFileDescriptor fd, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(fd);
        byte[] payload = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd.Number);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), buffer.Length);

        // A read blocks as the file does: the error log waits for the next event.
        HelperReply reply = Call(HelperOperation.Read, payload, "read", null, unbounded: true);
        reply.Payload.AsSpan(0, Math.Min(buffer.Length, reply.Payload.Length)).CopyTo(buffer);
        return (int)reply.Result;
    }

    public int Write(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(fd);
        byte[] payload = new byte[4 + buffer.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd.Number);
        buffer.CopyTo(payload.AsSpan(4));
        return (int)Call(HelperOperation.Write, payload, "write", null).Result;
    }

    public int ReadAt(SafeFileDescriptor fd, long offset, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(fd);
        byte[] payload = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd.Number);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(4), offset);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(12), buffer.Length);
        HelperReply reply = Call(HelperOperation.ReadAt, payload, "pread", $"offset 0x{offset:x}");
        reply.Payload.AsSpan(0, Math.Min(buffer.Length, reply.Payload.Length)).CopyTo(buffer);
        return (int)reply.Result;
    }

    public int WriteAt(SafeFileDescriptor fd, long offset, ReadOnlySpan<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(fd);
        byte[] payload = new byte[12 + buffer.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd.Number);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(4), offset);
        buffer.CopyTo(payload.AsSpan(12));
        return (int)Call(HelperOperation.WriteAt, payload, "pwrite", $"offset 0x{offset:x}").Result;
    }

    public PathKind Stat(string path)
    {
        HelperReply reply = _helper.Call(HelperOperation.Stat, Path(path));
        return reply.Result switch
        {
            1 => PathKind.File,
            2 => PathKind.Directory,
            3 => PathKind.Other,
            _ when reply.Errno is 2 or 20 /* ENOENT, ENOTDIR */ => PathKind.Missing,
            _ => throw new NativeCallException("stat", path, reply.Errno),
        };
    }

    public byte[] ReadFile(string path) => Call(HelperOperation.ReadFile, Path(path), "open", path).Payload;

    public IReadOnlyList<DirectoryEntry> ListDirectory(string path)
    {
        byte[] listing = Call(HelperOperation.ListDirectory, Path(path), "opendir", path).Payload;
        var entries = new List<DirectoryEntry>();
        for (int at = 0; at < listing.Length;)
        {
            byte type = listing[at];
            int end = Array.IndexOf(listing, (byte)0, at + 1);
            if (end < 0)
            {
                throw new NativeCallException("readdir", path, 5 /* EIO */);
            }

            // d_type: 4 directory, 10 symbolic link.
            entries.Add(new DirectoryEntry(Encoding.UTF8.GetString(listing, at + 1, end - at - 1), type == 4, type == 10));
            at = end + 1;
        }

        return entries;
    }

    public string? ReadLink(string path)
    {
        HelperReply reply = _helper.Call(HelperOperation.ReadLink, Path(path));
        return reply.Result >= 0 ? Encoding.UTF8.GetString(reply.Payload) : null;
    }

    public void CreateDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string built = string.Empty;
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            built += "/" + part;
            if (Stat(built) == PathKind.Directory)
            {
                continue;
            }

            byte[] name = Encoding.UTF8.GetBytes(built);
            byte[] payload = new byte[4 + name.Length];
            BinaryPrimitives.WriteInt32LittleEndian(payload, 0x1ED /* 0755 */);
            name.CopyTo(payload, 4);
            HelperReply reply = _helper.Call(HelperOperation.CreateDirectory, payload);
            if (reply.Result < 0 && reply.Errno != 17 /* EEXIST */)
            {
                throw new NativeCallException("mkdir", built, reply.Errno);
            }
        }
    }

    public void Dispose() => _helper.Dispose();

    private static byte[] Path(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Encoding.UTF8.GetBytes(path);
    }

    private bool Close(int fd)
    {
        byte[] payload = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd);
        try
        {
            return _helper.Call(HelperOperation.Close, payload).Result == 0;
        }
        catch (HelperException)
        {
            // The guest is gone, and its descriptors with it.
            return false;
        }
    }

    private void Lock(SafeFileDescriptor fd, int command, short type, long start, long length, bool unbounded = false)
    {
        ArgumentNullException.ThrowIfNull(fd);
        byte[] payload = new byte[26];
        BinaryPrimitives.WriteInt32LittleEndian(payload, fd.Number);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), command);
        BinaryPrimitives.WriteInt16LittleEndian(payload.AsSpan(8), type);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(10), start);
        BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(18), length);
        Call(HelperOperation.Lock, payload, "fcntl", $"lock [{start}, +{length})", unbounded);
    }

    private void ReadExactlyAt(SafeFileDescriptor fd, long offset, Span<byte> buffer)
    {
        if (ReadAt(fd, offset, buffer) != buffer.Length)
        {
            throw new NativeCallException("pread", $"offset 0x{offset:x}: short read", 5 /* EIO */);
        }
    }

    private HelperReply Call(HelperOperation operation, ReadOnlySpan<byte> payload, string call, string? target, bool unbounded = false)
    {
        HelperReply reply = _helper.Call(operation, payload, unbounded);
        return reply.Result < 0 ? throw new NativeCallException(call, target, reply.Errno) : reply;
    }

    private sealed record MappedRegion(SafeFileDescriptor Fd, long Offset, int Length, nint Address);
}
