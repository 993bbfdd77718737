using System.CommandLine;
using DlparAgent.Hosting;
using DlparAgent.Cli.Output;

namespace DlparAgent.Cli.CommandLine;

/// <summary><c>--state-dir</c>, shared by every command that touches the emulated machine.</summary>
internal static class StateDirectoryOption
{
    public static Option<string?> Create() => new("--state-dir")
    {
        Description = $"Directory of the emulated machine (default: ${AgentEnvironment.StateDirectoryVariable}, else /var/lib/dlpar-agent/emulated for " +
            $"root, else $XDG_STATE_HOME/dlpar-agent/emulated)",
        Recursive = true,
        HelpName = "DIR",
    };
}
