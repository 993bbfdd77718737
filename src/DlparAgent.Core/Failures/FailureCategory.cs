namespace DlparAgent.Core.Failures;

/// <summary>What kind of failure ended a command; each front end turns it into its own exit code in one place.</summary>
public enum FailureCategory
{
    /// <summary>The platform, the kernel or the agent refused or failed the operation.</summary>
    Refused,

    /// <summary>The command line or the request is wrong.</summary>
    Usage,

    /// <summary>Input was read but is malformed (a device tree, an event log, a state file).</summary>
    BadData,

    /// <summary>An input or the state it names does not exist.</summary>
    NoInput,

    /// <summary>The chosen platform or backend is not available here.</summary>
    Unavailable,

    /// <summary>Reading or writing a file failed.</summary>
    Io,

    /// <summary>Another process holds what is needed; try again later.</summary>
    Busy,

    /// <summary>The operation needs privileges the caller lacks.</summary>
    NotPermitted,

    /// <summary>A signal or a time limit stopped the command.</summary>
    Interrupted,
}
