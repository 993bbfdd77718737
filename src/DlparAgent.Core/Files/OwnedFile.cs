using System.Globalization;

namespace DlparAgent.Core.Files;

/// <summary>
/// The agent's own state files (the machine state, its lock, the journal, drmgr's log) are regular
/// files owned by the caller, or absent. Anything else planted there (a link, a FIFO that would hang
/// the open, another user's file) is refused before it is opened.
/// </summary>
public static class OwnedFile
{
    /// <summary>Throws <see cref="UnsafeFileException"/> unless <paramref name="path"/> is absent or a regular file of the caller's.</summary>
    public static void Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStatus? status;
        try
        {
            status = FileStatus.Of(path);
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            // No statx in this libc: the open that follows is the only check.
            return;
        }

        if (status is not { } found)
        {
            return;
        }

        if (found.Kind != FileKind.Regular)
        {
            throw new UnsafeFileException(path, $"is {Describe(found.Kind)}, not a regular file; remove it");
        }

        uint caller = FileStatus.EffectiveUser();
        if (found.Owner != caller)
        {
            throw new UnsafeFileException(path, string.Create(CultureInfo.InvariantCulture,
                $"belongs to uid {found.Owner}, not to the caller (uid {caller}); it is not trusted"));
        }
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO",
        FileKind.Socket => "a socket",
        FileKind.Device => "a device",
        _ => "a special file",
    };
}
