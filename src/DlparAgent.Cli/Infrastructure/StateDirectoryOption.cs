using System.CommandLine;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Cli.Infrastructure;

/// <summary><c>--state-dir</c>, shared by every command that touches the emulated machine.</summary>
internal static class StateDirectoryOption
{
    public static Option<string?> Create() => new("--state-dir")
    {
        Description = $"Directory of the emulated machine (default: ${MachineStore.EnvironmentVariable}, else /var/lib/dlpar-agent/emulated for root, else $XDG_STATE_HOME/dlpar-agent/emulated)",
        Recursive = true,
        HelpName = "DIR",
    };

    public static string Resolve(string? value) =>
        value is { Length: > 0 } ? value : MachineStore.DefaultDirectory(Environment.GetEnvironmentVariable, IsRoot());

    private static bool IsRoot()
    {
        try
        {
            return Environment.UserName == "root";
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
