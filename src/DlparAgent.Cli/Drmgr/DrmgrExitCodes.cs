using DlparAgent.Core.Failures;

namespace DlparAgent.Cli.Drmgr;

/// <summary>drmgr's exit codes (powerpc-utils; the HMC reads them).</summary>
internal static class DrmgrExitCodes
{
    public const int Success = 0;

    /// <summary>In use (query of a display adapter), or a CPU add that did nothing.</summary>
    public const int InUse = 1;

    public const int Nonexistent = 3;

    public const int DontOwn = 4;

    public const int AlreadyOwn = 5;

    /// <summary>Query success: "special case for HMC".</summary>
    public const int LinuxSlot = 6;

    /// <summary>drmgr's -1: validation errors, lock failures, most operation errors.</summary>
    public const int Failure = 255;

    /// <summary>drmgr answers every failure the HMC has no code for with -1, whatever its category.</summary>
    public static int Of(FailureCategory category)
    {
        _ = category;
        return Failure;
    }
}
