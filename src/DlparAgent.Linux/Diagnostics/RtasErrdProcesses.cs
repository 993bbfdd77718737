namespace DlparAgent.Linux.Diagnostics;

/// <summary>Running rtas_errd processes: they consume the error log, so only one event reader may run.</summary>
public static class RtasErrdProcesses
{
    /// <summary>Process ids whose <c>comm</c> is <c>rtas_errd</c>, from <c>/proc</c> below the root.</summary>
    public static int[] Find(LinuxPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        string proc = paths.Resolve("/proc");
        if (!Directory.Exists(proc))
        {
            return [];
        }

        var found = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories(proc))
        {
            if (int.TryParse(Path.GetFileName(directory), out int pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(directory, "comm")).Trim() == "rtas_errd")
                    {
                        found.Add(pid);
                    }
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // The process ended while we looked.
                }
            }
        }

        return [.. found.Order()];
    }
}
