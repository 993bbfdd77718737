namespace DlparAgent.Linux.Interop;

/// <summary>The questions the backend asks of paths, answered through <see cref="ILinuxNative.Stat"/>.</summary>
public static class NativeFiles
{
    /// <summary>True when the path names a file or a device (not a directory).</summary>
    public static bool FileExists(this ILinuxNative native, string path)
    {
        ArgumentNullException.ThrowIfNull(native);
        return native.Stat(path) is PathKind.File or PathKind.Other;
    }

    public static bool DirectoryExists(this ILinuxNative native, string path)
    {
        ArgumentNullException.ThrowIfNull(native);
        return native.Stat(path) == PathKind.Directory;
    }

    /// <summary>The file's text (ASCII, as the kernel writes it); null when it cannot be read.</summary>
    public static string? TryReadText(this ILinuxNative native, string path)
    {
        ArgumentNullException.ThrowIfNull(native);
        try
        {
            return System.Text.Encoding.ASCII.GetString(native.ReadFile(path));
        }
        catch (NativeCallException)
        {
            return null;
        }
    }

    /// <summary>The first path that names a file; null when none does.</summary>
    public static string? FirstExisting(this ILinuxNative native, IEnumerable<string> candidates) => candidates.FirstOrDefault(native.FileExists);
}
