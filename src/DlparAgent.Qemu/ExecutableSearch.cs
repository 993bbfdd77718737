namespace DlparAgent.Qemu;

/// <summary>Finds a program on <c>PATH</c> (of the given environment), as a shell would.</summary>
internal static class ExecutableSearch
{
    public static string? Find(string name, Func<string, string?> environment) =>
        (environment("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
