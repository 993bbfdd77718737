using System.Text;
using DlparAgent.Core.Kernel;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Kernel;

/// <summary>
/// Reads and writes the kernel's files below the root. A write is one <c>write(2)</c> of the
/// exact bytes (a kernel file takes one request per write); its errno becomes a
/// <see cref="KernelException"/>, and a short write is an error, never retried blindly.
/// </summary>
public sealed class KernelFiles(LinuxPaths paths, ILinuxNative native)
{
    public LinuxPaths Paths { get; } = paths;

    public bool Exists(string systemPath) => File.Exists(Paths.Resolve(systemPath));

    public bool DirectoryExists(string systemPath) => Directory.Exists(Paths.Resolve(systemPath));

    /// <summary>The file's text, trimmed; null when it does not exist or cannot be read.</summary>
    public string? ReadText(string systemPath)
    {
        try
        {
            return File.ReadAllText(Paths.Resolve(systemPath)).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Names of the directory's entries (not paths); empty when it does not exist.</summary>
    public IReadOnlyList<string> List(string systemPath)
    {
        string directory = Paths.Resolve(systemPath);
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)] : [];
    }

    /// <summary>Where a symbolic link points, or null.</summary>
    public string? LinkTarget(string systemPath)
    {
        try
        {
            return new FileInfo(Paths.Resolve(systemPath)).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void WriteText(string systemPath, string text) => Write(new KernelWrite(systemPath, Encoding.ASCII.GetBytes(text)));

    public void Write(KernelWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            using SafeFileDescriptor fd = native.Open(Paths.Resolve(write.Path), OpenMode.Write);
            int written = native.Write(fd, write.Content);
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
