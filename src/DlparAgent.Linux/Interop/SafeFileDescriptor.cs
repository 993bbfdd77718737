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

    internal SafeFileDescriptor(int fd)
        : base(ownsHandle: true)
    {
        SetHandle(fd);
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

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
