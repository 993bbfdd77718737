using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;

namespace DlparAgent.Linux.Kernel;

/// <summary>
/// Reads <c>/proc/device-tree</c> into the tree model: directories are nodes, files are
/// properties (values as the kernel shows them, big-endian), including the <c>name</c> files.
/// </summary>
public static class ProcDeviceTree
{
    /// <summary>Deeper than any real tree; bounds a directory cycle (a bind mount, a symlink).</summary>
    public const int MaxDepth = 64;

    public static DtNode Read(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no device tree (is this a Power partition with /proc/device-tree?)");
        }

        var root = new DtNode(string.Empty);
        Fill(root, new DirectoryInfo(directory), 0);
        return root;
    }

    private static void Fill(DtNode node, DirectoryInfo directory, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new DlparFormatException("/proc/device-tree", directory.FullName, 0, $"nested deeper than {MaxDepth} levels");
        }

        // Order by name so that every read of the same tree gives the same model.
        foreach (FileSystemInfo entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry is DirectoryInfo child)
            {
                Fill(node.AddChild(child.Name), child, depth + 1);
            }
            else
            {
                node.AddProperty(new DtProperty(entry.Name, File.ReadAllBytes(entry.FullName)));
            }
        }
    }
}
