using Microsoft.Win32.SafeHandles;

namespace DlparAgent.Linux.Interop;

/// <summary>An open file descriptor (<c>/dev/mem</c>, <c>/dev/papr-*</c>, the error log, the librtas lock file).</summary>
public sealed class SafeFileDescriptor : SafeHandleMinusOneIsInvalid
{
    // The marshaller creates handles through this constructor.
    public SafeFileDescriptor()
        : base(ownsHandle: true)
    {
    }

    private readonly Func<int, bool>? _close;

    internal SafeFileDescriptor(int fd)
        : base(ownsHandle: true)
    {
        SetHandle(fd);
    }

    /// <summary>A descriptor of another system (a guest's, reached through its helper), closed there by <paramref name="close"/>.</summary>
    public SafeFileDescriptor(int fd, Func<int, bool> close)
        : base(ownsHandle: true)
    {
        ArgumentNullException.ThrowIfNull(close);
        SetHandle(fd);
        _close = close;
    }

    /// <summary><c>open(2)</c>; failures throw <see cref="NativeCallException"/> carrying errno.</summary>
    public static SafeFileDescriptor Open(string path, int flags, int mode = 0)
    {
        int fd = Libc.Open(path, flags, mode);
        if (fd < 0)
        {
            throw NativeCallException.FromLastError("open", path);
        }

        return new SafeFileDescriptor(fd);
    }

    public int Number => (int)handle;

    protected override bool ReleaseHandle() => _close is { } close ? close((int)handle) : Libc.Close((int)handle) == 0;
}
