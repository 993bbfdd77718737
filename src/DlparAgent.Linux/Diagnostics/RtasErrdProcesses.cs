using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Diagnostics;

/// <summary>Running rtas_errd processes: they consume the error log, so only one event reader may run.</summary>
public static class RtasErrdProcesses
{
    /// <summary>Process ids whose <c>comm</c> is <c>rtas_errd</c>, from <c>/proc</c> below the root.</summary>
    public static int[] Find(LinuxPaths paths, ILinuxNative native)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(native);
        string proc = paths.Resolve("/proc");
        if (!native.DirectoryExists(proc))
        {
            return [];
        }

        var found = new List<int>();
        foreach (DirectoryEntry entry in native.ListDirectory(proc))
        {
            // A process that ends while we look has no comm any more: TryReadText gives null.
            if (entry.IsDirectory && int.TryParse(entry.Name, out int pid) && native.TryReadText($"{proc}/{entry.Name}/comm")?.Trim() == "rtas_errd")
            {
                found.Add(pid);
            }
        }

        return [.. found.Order()];
    }
}
