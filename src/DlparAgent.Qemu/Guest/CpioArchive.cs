using System.Globalization;
using System.Text;

namespace DlparAgent.Qemu.Guest;

/// <summary>
/// Writes a directory tree as a <c>newc</c> cpio archive, the format the kernel unpacks an
/// initramfs from: files, directories and symbolic links, owned by root, in a stable order.
/// </summary>
public static class CpioArchive
{
    private const string Magic = "070701";
    private const uint TypeDirectory = 0x4000, TypeFile = 0x8000, TypeLink = 0xA000;

    public static void Write(string directory, Stream output)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(output);
        uint inode = 1;
        foreach (FileSystemInfo entry in Walk(new DirectoryInfo(directory)))
        {
            string name = Path.GetRelativePath(directory, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            uint permissions = (uint)entry.UnixFileMode & 0xFFF;
            if (entry.LinkTarget is { } target)
            {
                WriteEntry(output, inode++, TypeLink | 0x1FF, 1, name, Encoding.UTF8.GetBytes(target));
            }
            else if (entry is DirectoryInfo)
            {
                WriteEntry(output, inode++, TypeDirectory | permissions, 2, name, []);
            }
            else
            {
                WriteEntry(output, inode++, TypeFile | permissions, 1, name, File.ReadAllBytes(entry.FullName));
            }
        }

        WriteEntry(output, 0, 0, 1, "TRAILER!!!", []);
    }

    /// <summary>Parents before children, names in ordinal order; links are not followed.</summary>
    private static IEnumerable<FileSystemInfo> Walk(DirectoryInfo directory)
    {
        foreach (FileSystemInfo entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            yield return entry;
            if (entry is DirectoryInfo child && child.LinkTarget is null)
            {
                foreach (FileSystemInfo inner in Walk(child))
                {
                    yield return inner;
                }
            }
        }
    }

    private static void WriteEntry(Stream output, uint inode, uint mode, uint links, string name, byte[] data)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var header = new StringBuilder(Magic);
        // ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
        foreach (uint field in (uint[])[inode, mode, 0, 0, links, 0, (uint)data.Length, 0, 0, 0, 0, (uint)nameBytes.Length, 0])
        {
            header.Append(field.ToString("x8", CultureInfo.InvariantCulture));
        }

        output.Write(Encoding.ASCII.GetBytes(header.ToString()));
        output.Write(nameBytes);
        Pad(output, 110 + nameBytes.Length);
        output.Write(data);
        Pad(output, data.Length);
    }

    private static void Pad(Stream output, int length)
    {
        int padding = (4 - (length % 4)) % 4;
        output.Write(new byte[padding]);
    }
}
