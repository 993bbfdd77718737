using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Rtas;

namespace DlparAgent.Linux.Tests.Support;

/// <summary>
/// The native layer of a ppc64le Linux guest, on this machine: files, mappings and locks are
/// real (below a <see cref="FakeRoot"/>, with <c>/dev/mem</c> a sparse file), while the
/// <c>rtas</c> syscall decodes the exact argument block it is given, applies the kernel's
/// checks (allowlist, argument counts, buffers inside the RMO region) and is served by the
/// emulated platform, whose answers are written back big-endian. Every call and every kernel
/// file write is recorded.
/// </summary>
internal sealed unsafe class FakeNative : ILinuxNative, IGuestMemory, IDisposable
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        RtasServices.GetSensorState, RtasServices.SetIndicator, RtasServices.GetPowerLevel, RtasServices.SetPowerLevel, RtasServices.ConfigureConnector,
    };

    private readonly LibcNative _real = new(LinuxAbi.Current!);
    private readonly EmulatedPlatform _platform;
    private readonly FakeRoot _root;
    private readonly Dictionary<nint, string> _openFiles = [];
    private readonly SafeFileDescriptor _memory;
    private readonly nint _rmo;
    private readonly Dictionary<uint, string> _services;

    public FakeNative(EmulatedPlatform platform, FakeRoot root)
    {
        _platform = platform;
        _root = root;
        _memory = _real.Open(root.Resolve("/dev/mem"), OpenMode.ReadWrite);
        _rmo = _real.Map(_memory, (long)FakeRoot.RmoBase, FakeRoot.RmoSize);
        string[] names = [RtasServices.GetSensorState, RtasServices.SetIndicator, RtasServices.GetPowerLevel, RtasServices.SetPowerLevel,
            RtasServices.ConfigureConnector, RtasServices.CheckException, RtasServices.EventScan];
        _services = names.Where(n => EmulatedPlatform.TokenOf(n).HasValue).ToDictionary(n => EmulatedPlatform.TokenOf(n)!.Value);
    }

    public LinuxAbi Abi => LinuxAbi.Ppc64Le;

    public bool IsRoot { get; set; } = true;

    /// <summary>When set, the next syscalls fail with this errno.</summary>
    public int? SyscallErrno { get; set; }

    /// <summary>Decides a write's errno by its system path (null: the write succeeds).</summary>
    public Func<string, int?> WriteErrno { get; set; } = _ => null;

    public List<RecordedCall> Calls { get; } = [];

    /// <summary>What reads of the error log return, one item per read, as the kernel hands out one record per read.</summary>
    public System.Collections.Concurrent.BlockingCollection<byte[]> ErrorLog { get; } = [];

    public List<(string Path, byte[] Bytes)> Writes { get; } = [];

    public long Syscall(int number, nint argument)
    {
        if (SyscallErrno is { } errno)
        {
            throw new NativeCallException("syscall", "rtas", errno);
        }

        if (number != 255)
        {
            throw new NativeCallException("syscall", number.ToString(System.Globalization.CultureInfo.InvariantCulture), 38);
        }

        var block = new Span<byte>((void*)argument, RtasArgs.Size);
        byte[] before = block.ToArray();
        int nargs = RtasArgs.InputCount(block), nret = RtasArgs.OutputCount(block);
        if (ExtraService is { } extra && ExtraTokens.TryGetValue(RtasArgs.Token(block), out string? extraService))
        {
            uint[] arguments = new uint[nargs];
            for (int i = 0; i < nargs; i++)
            {
                arguments[i] = RtasArgs.Word(block, i);
            }

            uint[] outputs = extra(extraService, arguments);
            for (int k = 0; k < nret && k < outputs.Length; k++)
            {
                RtasArgs.SetWord(block, nargs + k, outputs[k]);
            }

            Calls.Add(new RecordedCall(extraService, before, block.ToArray(), [], [], []));
            return 0;
        }

        if (nargs >= 16 || nret > 16 || nargs + nret > 16 || !_services.TryGetValue(RtasArgs.Token(block), out string? service) || !Allowed.Contains(service))
        {
            throw new NativeCallException("syscall", "rtas", 22);
        }

        uint[] inputs = new uint[nargs];
        for (int i = 0; i < nargs; i++)
        {
            inputs[i] = RtasArgs.Word(block, i);
        }
        if (service == RtasServices.ConfigureConnector && (nargs != 2 || !InRmo(inputs[0]) || (inputs[1] != 0 && !InRmo(inputs[1]))))
        {
            throw new NativeCallException("syscall", "rtas", 22);
        }

        string[] locks = service == RtasServices.ConfigureConnector ? OurLocks() : [];
        byte[] workAreaBefore = service == RtasServices.ConfigureConnector ? Rmo(inputs[0]).ToArray() : [];
        var frame = new RtasCallFrame().Set(RtasArgs.Token(block), nret, inputs);
        _platform.Dispatch(frame, this);
        for (int k = 0; k < nret; k++)
        {
            RtasArgs.SetWord(block, nargs + k, frame.Words[nargs + k]);
        }

        Calls.Add(new RecordedCall(service, before, block.ToArray(), workAreaBefore,
            service == RtasServices.ConfigureConnector ? Rmo(inputs[0]).ToArray() : [], locks));
        return 0;
    }

    public bool TryGetSpan(ulong address, int length, out Span<byte> span)
    {
        if (address < FakeRoot.RmoBase || address + (ulong)length > FakeRoot.RmoBase + FakeRoot.RmoSize)
        {
            span = default;
            return false;
        }

        span = new Span<byte>((void*)(_rmo + (nint)(address - FakeRoot.RmoBase)), length);
        return true;
    }

    public SafeFileDescriptor Open(string path, OpenMode mode)
    {
        SafeFileDescriptor fd = _real.Open(path, mode);
        _openFiles[fd.DangerousGetHandle()] = path;
        return fd;
    }

    public nint Map(SafeFileDescriptor fd, long offset, int length) => _real.Map(fd, offset, length);

    public void Unmap(nint address, int length) => _real.Unmap(address, length);

    /// <summary>Serves the PAPR character devices' ioctls, when a test sets it; otherwise ENOTTY.</summary>
    public Func<string, uint, nint, int>? IoctlHandler { get; set; }

    /// <summary>Serves RTAS services the emulated platform lacks (get-indices, sysparm), by service name; returns the output words.</summary>
    public Func<string, uint[], uint[]>? ExtraService { get; set; }

    public List<(string Path, uint Request)> Ioctls { get; } = [];

    public int Ioctl(SafeFileDescriptor fd, uint request, nint argument)
    {
        string path = _openFiles.GetValueOrDefault(fd.DangerousGetHandle(), "?");
        Ioctls.Add((path[_root.Root.Length..], request));
        return IoctlHandler is { } handler ? handler(path[_root.Root.Length..], request, argument) : throw new NativeCallException("ioctl", $"0x{request:x8}",
            25);
    }

    /// <summary>
    /// Opens a file for a handle the fake kernel returns from an ioctl. As with the real ioctl, the
    /// caller owns the new descriptor and closes it: keeping it here too closed the number twice,
    /// and the second close hit whatever file another test had opened under it meanwhile.
    /// </summary>
    public int OpenForHandle(string path)
    {
        SafeFileDescriptor fd = _real.Open(path, OpenMode.Read);
        int number = fd.Number;
        fd.SetHandleAsInvalid();
        return number;
    }

    public SafeFileDescriptor Adopt(int fd) => _real.Adopt(fd);

    public bool TryLockRange(SafeFileDescriptor fd, long start, long length) => _real.TryLockRange(fd, start, length);

    public int ReadAt(SafeFileDescriptor fd, long offset, Span<byte> buffer) => _real.ReadAt(fd, offset, buffer);

    public int WriteAt(SafeFileDescriptor fd, long offset, ReadOnlySpan<byte> buffer) => _real.WriteAt(fd, offset, buffer);

    public PathKind Stat(string path) => _real.Stat(path);

    public byte[] ReadFile(string path) => _real.ReadFile(path);

    public IReadOnlyList<DirectoryEntry> ListDirectory(string path) => _real.ListDirectory(path);

    public string? ReadLink(string path) => _real.ReadLink(path);

    public void CreateDirectory(string path) => _real.CreateDirectory(path);

    public void LockRange(SafeFileDescriptor fd, long start, long length) => _real.LockRange(fd, start, length);

    public void UnlockRange(SafeFileDescriptor fd, long start, long length) => _real.UnlockRange(fd, start, length);

    public int Read(SafeFileDescriptor fd, Span<byte> buffer)
    {
        if (!_openFiles.GetValueOrDefault(fd.DangerousGetHandle(), string.Empty).EndsWith("/error_log", StringComparison.Ordinal))
        {
            return _real.Read(fd, buffer);
        }

        if (!ErrorLog.TryTake(out byte[]? record, Timeout.Infinite))
        {
            return 0;
        }

        if (buffer.Length < record.Length)
        {
            throw new NativeCallException("read", "error_log", 22);
        }

        record.CopyTo(buffer);
        return record.Length;
    }

    public int Write(SafeFileDescriptor fd, ReadOnlySpan<byte> buffer)
    {
        string path = _openFiles.GetValueOrDefault(fd.DangerousGetHandle(), "?");
        string systemPath = path.StartsWith(_root.Root, StringComparison.Ordinal) ? path[_root.Root.Length..] : path;
        Writes.Add((systemPath, buffer.ToArray()));
        if (WriteErrno(systemPath) is { } errno)
        {
            throw new NativeCallException("write", systemPath, errno);
        }

        return _real.Write(fd, buffer);
    }

    /// <summary>Tokens the fake root publishes for services outside the emulated platform.</summary>
    public static readonly Dictionary<uint, string> ExtraTokens = new()
    {
        [0x2100] = "ibm,get-indices",
        [0x2101] = "ibm,get-dynamic-sensor-state",
        [0x2102] = "ibm,set-dynamic-indicator",
        [0x2103] = "ibm,get-system-parameter",
    };

    /// <summary>The RMO bytes at a physical address the fake kernel accepted.</summary>
    public Span<byte> RmoAt(uint address, int length) => TryGetSpan(address, length,
        out Span<byte> span) ? span : throw new ArgumentOutOfRangeException(nameof(address));

    public void Dispose()
    {
        ErrorLog.Dispose();
        _real.Unmap(_rmo, FakeRoot.RmoSize);
        _memory.Dispose();
    }

    private static bool InRmo(uint address) => address >= FakeRoot.RmoBase && address + 4096UL <= FakeRoot.RmoBase + FakeRoot.RmoSize;

    private Span<byte> Rmo(uint address) => new((void*)(_rmo + (nint)(address - FakeRoot.RmoBase)), 4096);

    /// <summary>This process's POSIX locks, from /proc/locks ("POSIX ADVISORY WRITE pid maj:min:inode start end").</summary>
    private static string[] OurLocks()
    {
        string pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return [.. File.ReadAllLines("/proc/locks").Where(l => l.Contains("POSIX", StringComparison.Ordinal) && l.Split(' ',
            StringSplitOptions.RemoveEmptyEntries).Contains(pid))];
    }
}

/// <summary>One rtas syscall: the argument block before and after, the first work-area page before and after, and the POSIX locks held.</summary>
internal sealed record RecordedCall(string Service, byte[] BlockBefore, byte[] BlockAfter, byte[] WorkAreaBefore, byte[] WorkAreaAfter, string[] Locks);
