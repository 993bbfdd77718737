using System.Text;
using DlparAgent.Core.Kernel;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Kernel;

/// <summary>
/// Reads and writes the kernel's files below the root. A write is one <c>write(2)</c> of the
/// exact bytes (a kernel file takes one request per write); its errno becomes a
/// <see cref="KernelException"/>, and a short write is an error, never retried blindly.
/// </summary>
public sealed class KernelFiles(LinuxPaths paths, ILinuxNative system)
{
    public LinuxPaths Paths { get; } = paths;

    public ILinuxNative Native { get; } = system;

    public bool Exists(string systemPath) => Native.FileExists(Paths.Resolve(systemPath));

    public bool DirectoryExists(string systemPath) => Native.DirectoryExists(Paths.Resolve(systemPath));

    /// <summary>The file's text, trimmed; null when it does not exist or cannot be read.</summary>
    public string? ReadText(string systemPath) => Native.TryReadText(Paths.Resolve(systemPath))?.Trim();

    /// <summary>Names of the directory's entries (not paths); empty when it does not exist.</summary>
    public IReadOnlyList<string> List(string systemPath)
    {
        try
        {
            return [.. Native.ListDirectory(Paths.Resolve(systemPath)).Select(e => e.Name).Order(StringComparer.Ordinal)];
        }
        catch (NativeCallException)
        {
            return [];
        }
    }

    /// <summary>Where a symbolic link points, or null.</summary>
    public string? LinkTarget(string systemPath) => Native.ReadLink(Paths.Resolve(systemPath));

    public void WriteText(string systemPath, string text) => Write(new KernelWrite(systemPath, Encoding.ASCII.GetBytes(text)));

    public void Write(KernelWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            using SafeFileDescriptor fd = Native.Open(Paths.Resolve(write.Path), OpenMode.Write);
            int written = Native.Write(fd, write.Content);
            if (written != write.Content.Length)
            {
                throw new KernelException(Errno.EIO, $"{write.Path}: the kernel took {written} of {write.Content.Length} bytes");
            }
        }
        catch (NativeCallException error)
        {
            throw new KernelException(error.KnownErrno ?? Errno.EIO, $"{write.Path} <- \"{write.Printable()}\"");
        }
    }
}
