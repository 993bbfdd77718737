using System.Runtime.InteropServices;
using DlparAgent.Core.Failures;

namespace DlparAgent.Hosting;

/// <summary>
/// <c>--platform linux|emulated|qemu[:DIR]|guest:DIR</c>, else <c>DLPAR_PLATFORM</c>, else a state directory given on the
/// command line or in <c>DLPAR_STATE_DIR</c> (meaningful only to the emulated platform), else the
/// machine: the Linux backend on a ppc64 partition with <c>/proc/device-tree/rtas</c>, otherwise the
/// emulated platform, with a notice saying so.
/// </summary>
public sealed record PlatformSelection(PlatformKind Kind, string? Notice, string? QemuDirectory = null)
{
    /// <summary>For <c>guest:DIR</c>: the directory of the running guest (<c>dlpar platform guest start</c>).</summary>
    public string? GuestDirectory { get; init; }

    /// <exception cref="HostingException">An unknown platform was asked for.</exception>
    public static PlatformSelection Resolve(string? requested, string? stateDirectory, AgentEnvironment environment, string program)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? choice = requested is { Length: > 0 } ? requested : environment.Platform;
        if (choice is not null)
        {
            return choice switch
            {
                "linux" => new(PlatformKind.Linux, null),
                "emulated" => new(PlatformKind.Emulated, null),
                "qemu" => new(PlatformKind.Qemu, null),
                "guest" => new(PlatformKind.Guest, null),
                _ when choice.StartsWith("qemu:", StringComparison.Ordinal) && choice.Length > 5 => new(PlatformKind.Qemu, null, choice[5..]),
                _ when choice.StartsWith("guest:", StringComparison.Ordinal) && choice.Length > 6 =>
                    new(PlatformKind.Guest, null) { GuestDirectory = choice[6..] },
                _ => throw new HostingException(FailureCategory.Usage, $"unknown platform '{choice}' (use linux, emulated, qemu, qemu:DIR or guest:DIR)"),
            };
        }

        if (stateDirectory is { Length: > 0 } || environment.StateDirectory is not null)
        {
            return new(PlatformKind.Emulated, null);
        }

        bool powerPartition = environment.Architecture is Architecture.Ppc64le && environment.HasRtas;
        return powerPartition
            ? new(PlatformKind.Linux, null)
            : new(PlatformKind.Emulated, $"{program}: not a Power partition (no /proc/device-tree/rtas): using the emulated platform");
    }
}
