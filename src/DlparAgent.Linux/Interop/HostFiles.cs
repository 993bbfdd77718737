using DlparAgent.Core.Kernel;

namespace DlparAgent.Linux.Interop;

/// <summary>The file-system half of <see cref="ILinuxNative"/> on this machine, through .NET's file APIs, with errno on failure.</summary>
public static class HostFiles
{
    /// <summary>.NET does not tell devices from files: both are <see cref="PathKind.File"/> here.</summary>
    public static PathKind Stat(string path) => File.Exists(path) ? PathKind.File : Directory.Exists(path) ? PathKind.Directory : PathKind.Missing;

    public static byte[] ReadFile(string path) => Guard("open", path, () => File.ReadAllBytes(path));

    public static IReadOnlyList<DirectoryEntry> ListDirectory(string path) => Guard("opendir", path, () =>
        new DirectoryInfo(path).EnumerateFileSystemInfos().Select(e => new DirectoryEntry(e.Name, e is DirectoryInfo, e.LinkTarget is not null)).ToList());

    public static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static void CreateDirectory(string path) => Guard("mkdir", path, () => Directory.CreateDirectory(path));

    private static T Guard<T>(string call, string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Errno errno = error switch
            {
                FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
                UnauthorizedAccessException => Errno.EACCES,
                _ => Errno.EIO,
            };
            throw new NativeCallException(call, path, (int)errno);
        }
    }
}
