namespace DlparAgent.Qemu;

/// <summary>Finds <c>qemu-system-ppc64</c>: <c>DLPAR_QEMU</c> when set, else the first one on <c>PATH</c>.</summary>
public static class QemuBinary
{
    public const string ExecutableName = "qemu-system-ppc64";

    public const string EnvironmentVariable = "DLPAR_QEMU";

    /// <summary>The path to run, or null when QEMU is not installed.</summary>
    public static string? Find(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        return ExecutableSearch.Find(ExecutableName, environment);
    }

    /// <summary>Like <see cref="Find"/>, but a missing QEMU is a <see cref="QemuException"/> that says how to install it.</summary>
    public static string Require(Func<string, string?> environment) =>
        Find(environment) ?? throw new QemuException(
            QemuProblem.NotInstalled,
            $"{ExecutableName} was not found (install Debian's qemu-system-ppc: apt-get install --no-install-recommends qemu-system-ppc, or set " +
                $"{EnvironmentVariable})");
}
