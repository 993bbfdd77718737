using DlparAgent.Cli.Platform;

namespace DlparAgent.Cli.Infrastructure;

/// <summary>Opens the session a command's platform selection names.</summary>
internal static class PartitionSessions
{
    /// <summary>Resolves the platform (announcing a default choice on stderr) and opens it.</summary>
    public static IPartitionSession Open(CliContext context, string program, string? platform, string? stateDirectory)
    {
        PlatformSelection selection = PlatformSelection.ForThisMachine(platform, stateDirectory);
        selection.Announce(context.Error);
        return selection.Kind switch
        {
            PlatformKind.Linux => LinuxSession.Open(context.Environment),
            PlatformKind.Qemu => QemuSession.Open(selection.QemuDirectory ?? StateDirectoryOption.Resolve(stateDirectory)),
            _ => new EmulatedSession(PlatformSession.Open(StateDirectoryOption.Resolve(stateDirectory))),
        };
    }
}
