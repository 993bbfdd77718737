using System.Runtime.InteropServices;

namespace DlparAgent.Cli.Infrastructure;

/// <summary>Which backend a command drives.</summary>
internal enum PlatformKind
{
    /// <summary>The partition's own firmware and kernel (rtas syscall, /dev/papr-*, /sys/kernel/dlpar).</summary>
    Linux,

    /// <summary>The bundled emulated PAPR platform in a state directory.</summary>
    Emulated,

    /// <summary>QEMU's pseries machine as the firmware (qtest), the emulated kernel as the OS side.</summary>
    Qemu,
}

/// <summary>
/// <c>--platform linux|emulated|qemu[:DIR]</c>, else <c>DLPAR_PLATFORM</c>, else a state directory given on the
/// command line or in <c>DLPAR_STATE_DIR</c> (meaningful only to the emulated platform), else the
/// machine: the Linux backend on a ppc64 partition with <c>/proc/device-tree/rtas</c>, otherwise the
/// emulated platform, announced by one notice line on stderr.
/// </summary>
internal sealed record PlatformSelection(PlatformKind Kind, string? Notice, string? QemuDirectory = null)
{
    public const string EnvironmentVariable = "DLPAR_PLATFORM";

    /// <exception cref="CliException">An unknown or not yet available platform was asked for.</exception>
    public static PlatformSelection Resolve(string? requested, string? stateDirectory, Func<string, string?> environment, Func<string, bool> pathExists, Architecture architecture)
    {
        string? choice = requested is { Length: > 0 } ? requested : environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        if (choice is not null)
        {
            return choice switch
            {
                "linux" => new(PlatformKind.Linux, null),
                "emulated" => new(PlatformKind.Emulated, null),
                "qemu" => new(PlatformKind.Qemu, null),
                _ when choice.StartsWith("qemu:", StringComparison.Ordinal) && choice.Length > 5 => new(PlatformKind.Qemu, null, choice[5..]),
                _ => throw new CliException(ExitCodes.Usage, $"unknown platform '{choice}' (use linux, emulated, qemu or qemu:DIR)"),
            };
        }

        if (stateDirectory is { Length: > 0 } || environment("DLPAR_STATE_DIR") is { Length: > 0 })
        {
            return new(PlatformKind.Emulated, null);
        }

        bool powerPartition = architecture is Architecture.Ppc64le && pathExists("/proc/device-tree/rtas");
        return powerPartition
            ? new(PlatformKind.Linux, null)
            : new(PlatformKind.Emulated, "dlpar: not a Power partition (no /proc/device-tree/rtas): using the emulated platform");
    }

    public static PlatformSelection ForThisMachine(string? requested, string? stateDirectory) =>
        Resolve(requested, stateDirectory, Environment.GetEnvironmentVariable, p => Directory.Exists(p) || File.Exists(p), RuntimeInformation.ProcessArchitecture);

    /// <summary>Says on stderr which platform was chosen when the choice was made for the user.</summary>
    public void Announce(TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Notice is not null)
        {
            error.WriteLine(Notice);
        }
    }
}
