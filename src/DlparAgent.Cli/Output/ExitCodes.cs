using DlparAgent.Core.Failures;
using DlparAgent.Cli.Context;

namespace DlparAgent.Cli.Output;

/// <summary>Exit codes of the modern <c>dlpar</c> commands (sysexits.h values where one fits).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The platform or the agent refused or failed the operation.</summary>
    public const int Refused = 1;

    /// <summary>The command line itself is wrong (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>The input was read but is malformed (EX_DATAERR).</summary>
    public const int DataError = 65;

    /// <summary>An input file does not exist or cannot be opened (EX_NOINPUT).</summary>
    public const int NoInput = 66;

    /// <summary>The chosen platform or backend is not available (EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;

    /// <summary>Reading or writing failed (EX_IOERR).</summary>
    public const int IoError = 74;

    /// <summary>Try again later: the state is locked by another process (EX_TEMPFAIL).</summary>
    public const int TemporaryFailure = 75;

    /// <summary>EX_NOPERM: the real backend needs root.</summary>
    public const int NoPermission = 77;

    /// <summary>The one place a failure's category becomes the exit code of a <c>dlpar</c> command.</summary>
    public static int Of(FailureCategory category) => category switch
    {
        FailureCategory.Usage => Usage,
        FailureCategory.BadData => DataError,
        FailureCategory.NoInput => NoInput,
        FailureCategory.Unavailable => Unavailable,
        FailureCategory.Io => IoError,
        FailureCategory.Busy => TemporaryFailure,
        FailureCategory.NotPermitted => NoPermission,
        _ => Refused,
    };
}
