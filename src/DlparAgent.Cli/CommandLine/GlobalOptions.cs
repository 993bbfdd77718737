using System.CommandLine;
using DlparAgent.Hosting;
using DlparAgent.Cli.Output;

namespace DlparAgent.Cli.CommandLine;

/// <summary>The options every <c>dlpar</c> command takes (recursive: before or after the command words).</summary>
internal sealed record GlobalOptions(Option<string?> StateDir, Option<string?> Platform, Option<bool> Json)
{
    public static GlobalOptions Create() => new(
        StateDirectoryOption.Create(),
        new Option<string?>("--platform")
        {
            Description = "Backend to drive: linux (this partition's firmware), emulated, qemu[:DIR] (the QEMU machine 'dlpar platform qemu start' " +
                "runs for the state directory) or guest[:DIR] (the real-Linux guest 'dlpar platform guest start' runs, through the Linux backend) " +
                $"(default: ${AgentEnvironment.PlatformVariable}, else emulated when a state directory is given, else linux on a Power partition, " +
                "otherwise emulated)",
            Recursive = true,
            HelpName = "linux|emulated|qemu|guest",
        },
        new Option<bool>("--json")
        {
            Description = "Print one JSON document on stdout (errors too: {\"error\": {message, exitCode}})",
            Recursive = true,
        });
}
