using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Kernel;

/// <summary>
/// Reads <c>/proc/device-tree</c> into the tree model: directories are nodes, files are
/// properties (values as the kernel shows them, big-endian), including the <c>name</c> files.
/// </summary>
public static class ProcDeviceTree
{
    /// <summary>Deeper than any real tree; bounds a directory cycle (a bind mount, a symlink).</summary>
    public const int MaxDepth = 64;

    public static DtNode Read(ILinuxNative native, string directory)
    {
        ArgumentNullException.ThrowIfNull(native);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!native.DirectoryExists(directory))
        {
            throw new LinuxBackendException(LinuxProblem.MissingKernelFile, $"{directory}: no device tree (is this a Power partition with /proc/device-tree?)");
        }

        var root = new DtNode(string.Empty);
        Fill(native, root, directory, 0);
        return root;
    }

    private static void Fill(ILinuxNative native, DtNode node, string directory, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new DlparFormatException("/proc/device-tree", directory, 0, $"nested deeper than {MaxDepth} levels");
        }

        // Order by name so that every read of the same tree gives the same model; links are not followed.
        foreach (DirectoryEntry entry in native.ListDirectory(directory).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            string path = directory.TrimEnd('/') + "/" + entry.Name;
            if (entry.IsDirectory && !entry.IsLink)
            {
                Fill(native, node.AddChild(entry.Name), path, depth + 1);
            }
            else if (!entry.IsLink)
            {
                node.AddProperty(new DtProperty(entry.Name, native.ReadFile(path)));
            }
        }
    }
}
