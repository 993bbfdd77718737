namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>What of a command's result is compared between the real tool and ours.</summary>
public enum ToolAspect
{
    ExitCode,
    Stdout,
    Stderr,

    /// <summary>drmgr's log: its operation lines (arguments, capability check, kernel requests and their failures, CPU totals).</summary>
    Log,

    /// <summary>The errno of a write to <c>/sys/kernel/dlpar</c>: the real kernel's against the emulated kernel's.</summary>
    Errno,
}
