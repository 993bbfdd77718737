namespace DlparAgent.Core.Engine;

/// <summary>
/// Replaces a file through a temporary beside it. Whatever sits at the temporary name (a link, a
/// FIFO, a leftover) is removed, never followed or opened: the temporary is created exclusively
/// (O_CREAT|O_EXCL), and it is removed again when the write fails, so no partial file stays.
/// </summary>
public static class AtomicFile
{
    public static void Replace(string path, Action<FileStream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporary = path + ".tmp";
        File.Delete(temporary);
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (IOException)
            {
                // The original failure is the one to report.
            }

            throw;
        }
    }
}
