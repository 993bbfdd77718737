namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>What of a command's result is compared between the real tool and ours.</summary>
public enum ToolAspect
{
    ExitCode,
    Stdout,
    Stderr,
}
