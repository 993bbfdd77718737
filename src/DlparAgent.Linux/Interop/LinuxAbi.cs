using System.Runtime.InteropServices;

namespace DlparAgent.Linux.Interop;

/// <summary>
/// The numbers of one Linux architecture's user ABI that the backend uses, written out per
/// architecture (never borrowed from another because they happen to agree): syscall numbers,
/// open/mmap/fcntl flags, <c>struct flock</c> offsets and the ioctl encoding.
/// </summary>
public sealed record LinuxAbi
{
    /// <summary>linux-ppc64le: ELFv2, little-endian (<c>arch/powerpc/include/uapi</c>).</summary>
    public static readonly LinuxAbi Ppc64Le = Powerpc("linux-ppc64le", bigEndian: false);

    /// <summary>linux-ppc64: ELFv1, big-endian; the same numbers as ppc64le.</summary>
    public static readonly LinuxAbi Ppc64 = Powerpc("linux-ppc64", bigEndian: true);

    /// <summary>linux-x64, for development and tests: there is no <c>rtas</c> syscall.</summary>
    public static readonly LinuxAbi X64 = new()
    {
        Name = "linux-x64",
        BigEndian = false,
        RtasSyscall = null,
        IocNone = 0,
        IocWrite = 1,
        IocRead = 2,
        IocSizeBits = 14,
        IocDirBits = 2,
        OpenFlags = new(ReadOnly: 0, WriteOnly: 1, ReadWrite: 2, Create: 0x40, Sync: 0x101000, CloseOnExec: 0x80000, NonBlock: 0x800),
        MapFlags = new(ProtRead: 1, ProtWrite: 2, MapShared: 1),
        Locks = new(SetLock: 6, SetLockWait: 7, GetLock: 5, ReadLock: 0, WriteLock: 1, Unlock: 2, FlockSize: 32, TypeOffset: 0, WhenceOffset: 2,
            StartOffset: 8, LengthOffset: 16, PidOffset: 24),
    };

    public required string Name { get; init; }

    public required bool BigEndian { get; init; }

    /// <summary><c>__NR_rtas</c>; null where the architecture has none.</summary>
    public required int? RtasSyscall { get; init; }

    public required uint IocNone { get; init; }

    public required uint IocWrite { get; init; }

    public required uint IocRead { get; init; }

    public required int IocSizeBits { get; init; }

    public required int IocDirBits { get; init; }

    public required OpenFlagSet OpenFlags { get; init; }

    public required MapFlagSet MapFlags { get; init; }

    public required LockAbi Locks { get; init; }

    /// <summary>The ABI of the running process; null on an architecture the table does not list.</summary>
    public static LinuxAbi? Current => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X64,
        Architecture.Ppc64le => Ppc64Le,
        _ => null,
    };

    /// <summary><c>_IOC(dir, type, nr, size)</c> with this architecture's field widths and direction values.</summary>
    public uint Ioctl(uint direction, byte type, byte number, int size)
    {
        const int numberBits = 8, typeBits = 8;
        if (size < 0 || size >= 1 << IocSizeBits)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"an ioctl argument size must fit in {IocSizeBits} bits");
        }

        int sizeShift = numberBits + typeBits;
        int directionShift = sizeShift + IocSizeBits;
        return (direction << directionShift) | ((uint)size << sizeShift) | ((uint)type << numberBits) | number;
    }

    /// <summary><c>open(2)</c>'s flags for a mode on this architecture, always with <c>O_CLOEXEC</c>.</summary>
    public int OpenFlagsOf(OpenMode mode)
    {
        OpenFlagSet f = OpenFlags;
        int flags = (mode & OpenMode.ReadWrite) switch
        {
            OpenMode.ReadWrite => f.ReadWrite,
            OpenMode.Write => f.WriteOnly,
            _ => f.ReadOnly,
        } | f.CloseOnExec;
        flags |= (mode & OpenMode.Create) != 0 ? f.Create : 0;
        flags |= (mode & OpenMode.Sync) != 0 ? f.Sync : 0;
        return flags | ((mode & OpenMode.NonBlocking) != 0 ? f.NonBlock : 0);
    }

    /// <summary>The permissions a created file gets: 0600, as librtas creates its lock file.</summary>
    public static int CreateMode(OpenMode mode) => (mode & OpenMode.Create) != 0 ? 0x180 : 0;

    /// <summary><c>_IOW</c>.</summary>
    public uint IoctlWrite(byte type, byte number, int size) => Ioctl(IocWrite, type, number, size);

    /// <summary><c>_IOWR</c>.</summary>
    public uint IoctlReadWrite(byte type, byte number, int size) => Ioctl(IocRead | IocWrite, type, number, size);

    private static LinuxAbi Powerpc(string name, bool bigEndian) => new()
    {
        Name = name,
        BigEndian = bigEndian,
        RtasSyscall = 255,
        IocNone = 1,
        IocRead = 2,
        IocWrite = 4,
        IocSizeBits = 13,
        IocDirBits = 3,
        OpenFlags = new(ReadOnly: 0, WriteOnly: 1, ReadWrite: 2, Create: 0x40, Sync: 0x101000, CloseOnExec: 0x80000, NonBlock: 0x800),
        MapFlags = new(ProtRead: 1, ProtWrite: 2, MapShared: 1),
        Locks = new(SetLock: 6, SetLockWait: 7, GetLock: 5, ReadLock: 0, WriteLock: 1, Unlock: 2, FlockSize: 32, TypeOffset: 0, WhenceOffset: 2,
            StartOffset: 8, LengthOffset: 16, PidOffset: 24),
    };
}

/// <summary><c>O_*</c> values.</summary>
public sealed record OpenFlagSet(int ReadOnly, int WriteOnly, int ReadWrite, int Create, int Sync, int CloseOnExec, int NonBlock);

/// <summary><c>PROT_*</c> and <c>MAP_*</c> values.</summary>
public sealed record MapFlagSet(int ProtRead, int ProtWrite, int MapShared);

/// <summary><c>fcntl</c> record-lock commands and types, and the 64-bit <c>struct flock</c> layout.</summary>
public sealed record LockAbi(int SetLock, int SetLockWait, int GetLock, short ReadLock, short WriteLock, short Unlock,
    int FlockSize, int TypeOffset, int WhenceOffset, int StartOffset, int LengthOffset, int PidOffset);
