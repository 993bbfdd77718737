using System.Globalization;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Rtas;

/// <summary>
/// The kernel's RTAS user region (the RMO buffer), shared with every librtas user on the system:
/// work areas are whole 4 KiB pages, reserved in a per-process bitmap under a mutex and then
/// claimed with librtas's locks on <c>/var/lock/LCK..librtas</c> (byte offset = page index,
/// length = page count), mapped from <c>/dev/mem</c> for the call and unmapped after it.
/// </summary>
public sealed class RmoRegion : IDisposable
{
    public const int PageSize = 4096;

    /// <summary>librtas refuses a region of more than 64 pages (its bitmap is one 64-bit word).</summary>
    public const int MaxPages = 64;

    private readonly ILinuxNative _native;
    private readonly SafeFileDescriptor _memory;
    private readonly SafeFileDescriptor _lockFile;
    private readonly Lock _bitmapLock = new();
    private ulong _pagesInUse;

    private RmoRegion(ILinuxNative native, ulong physicalBase, int pages, SafeFileDescriptor memory, SafeFileDescriptor lockFile)
    {
        _native = native;
        PhysicalBase = physicalBase;
        Pages = pages;
        _memory = memory;
        _lockFile = lockFile;
    }

    public ulong PhysicalBase { get; }

    public int Pages { get; }

    /// <summary>Opens the region the kernel published; every failure names what is missing.</summary>
    public static RmoRegion Open(LinuxPaths paths, ILinuxNative native)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(native);
        string file = paths.FindRmoBuffer(native)
            ?? throw new LinuxBackendException(LinuxProblem.NoRmoBuffer,
                "the kernel publishes no RTAS user region (/proc/powerpc/rtas/rmo_buffer): configure-connector is unavailable");
        (ulong physicalBase, int size) = Parse(native.TryReadText(file) ?? string.Empty, file);
        SafeFileDescriptor memory;
        try
        {
            memory = native.Open(paths.DevMem, OpenMode.ReadWrite | OpenMode.Sync);
        }
        catch (NativeCallException error)
        {
            throw new LinuxBackendException(LinuxProblem.NoDevMem,
                $"cannot open {paths.DevMem} for the RTAS work areas ({error.Message}); under kernel lockdown configure-connector needs the kernel's 'dt' " +
                    $"DLPAR instead", error);
        }

        try
        {
            native.CreateDirectory(Path.GetDirectoryName(paths.LibrtasLock)!);
            SafeFileDescriptor lockFile = native.Open(paths.LibrtasLock, OpenMode.ReadWrite | OpenMode.Create);
            return new RmoRegion(native, physicalBase, size / PageSize, memory, lockFile);
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    /// <summary>Parses <c>"%016lx %x\n"</c>: the physical base and the size, both hex.</summary>
    public static (ulong PhysicalBase, int Size) Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] words = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 2
            || !ulong.TryParse(words[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong physicalBase)
            || !int.TryParse(words[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size))
        {
            throw new LinuxBackendException(LinuxProblem.NoRmoBuffer, $"{source}: expected '<base hex> <size hex>', found '{text.Trim()}'");
        }

        if (size <= 0 || size % PageSize != 0 || size / PageSize > MaxPages || physicalBase % PageSize != 0 || physicalBase + (ulong)size > uint.MaxValue)
        {
            throw new LinuxBackendException(LinuxProblem.NoRmoBuffer,
                $"{source}: a region of 0x{size:x} bytes at 0x{physicalBase:x} is not usable (whole pages, at most {MaxPages}, below 4 GiB)");
        }

        return (physicalBase, size);
    }

    /// <summary>Reserves <paramref name="pages"/> contiguous pages, waits for other processes' librtas locks on them, and maps them.</summary>
    public RmoWorkArea Allocate(int pages)
    {
        if (pages < 1 || pages > Pages)
        {
            throw new ArgumentOutOfRangeException(nameof(pages), pages, $"1..{Pages} pages");
        }

        int first = Reserve(pages);
        try
        {
            _native.LockRange(_lockFile, first, pages);
            try
            {
                ulong physical = PhysicalBase + ((ulong)first * PageSize);
                nint address = _native.Map(_memory, (long)physical, pages * PageSize);
                return new RmoWorkArea(this, first, pages, (uint)physical, address);
            }
            catch
            {
                _native.UnlockRange(_lockFile, first, pages);
                throw;
            }
        }
        catch
        {
            Release(first, pages);
            throw;
        }
    }

    public void Dispose()
    {
        _memory.Dispose();
        _lockFile.Dispose();
    }

    internal void Free(RmoWorkArea area)
    {
        try
        {
            _native.Unmap(area.Address, area.PageCount * PageSize);
        }
        finally
        {
            _native.UnlockRange(_lockFile, area.FirstPage, area.PageCount);
            Release(area.FirstPage, area.PageCount);
        }
    }

    private int Reserve(int pages)
    {
        ulong run = pages == 64 ? ulong.MaxValue : (1UL << pages) - 1;
        lock (_bitmapLock)
        {
            for (int first = 0; first + pages <= Pages; first++)
            {
                if ((_pagesInUse & (run << first)) == 0)
                {
                    _pagesInUse |= run << first;
                    return first;
                }
            }
        }

        throw new LinuxBackendException(LinuxProblem.RmoExhausted, $"no {pages} free pages in this process's share of the RTAS user region");
    }

    private void Release(int first, int pages)
    {
        ulong run = pages == 64 ? ulong.MaxValue : (1UL << pages) - 1;
        lock (_bitmapLock)
        {
            _pagesInUse &= ~(run << first);
        }
    }
}
