using System.Runtime.InteropServices;

namespace DlparAgent.Core.Files;

/// <summary>
/// What <c>statx(2)</c> says of a path without following a final link: its type and owner.
/// statx's buffer has the same layout on every Linux architecture (native byte order), so no
/// per-architecture table is needed here.
/// </summary>
public readonly partial record struct FileStatus(FileKind Kind, uint Owner, uint Mode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint WantTypeModeAndOwner = 0x1 | 0x2 | 0x8;
    private const int BufferSize = 256;
    private const int OwnerOffset = 20;
    private const int ModeOffset = 28;
    private const int NoSuchFile = 2;
    private const int NotImplemented = 38;

    /// <summary>The status of <paramref name="path"/>, null when nothing is there, or when the kernel lacks statx (before 4.11).</summary>
    public static FileStatus? Of(string path)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, WantTypeModeAndOwner, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is NoSuchFile or NotImplemented ? null
                : throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'", errno);
        }

        uint mode = MemoryMarshal.Read<ushort>(buffer[ModeOffset..]);
        return new FileStatus(KindOf(mode), MemoryMarshal.Read<uint>(buffer[OwnerOffset..]), mode & 0xFFF);
    }

    /// <summary>The effective user id of this process: the caller the state files must belong to.</summary>
    public static uint EffectiveUser() => GetEffectiveUserId();

    private static FileKind KindOf(uint mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        0x2000 or 0x6000 => FileKind.Device,
        _ => FileKind.Other,
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Statx(int directory, string path, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial uint GetEffectiveUserId();
}
