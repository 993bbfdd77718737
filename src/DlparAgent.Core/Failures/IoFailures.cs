using System.Text.RegularExpressions;

namespace DlparAgent.Core.Failures;

/// <summary>
/// File-system failures in one line: <c>path: reason</c> in strerror's words, where .NET says
/// "reason : 'path'" or calls a directory "access denied". And the one failure worth waiting on.
/// </summary>
public static partial class IoFailures
{
    /// <summary>EWOULDBLOCK (EAGAIN, 11 on every Linux architecture): .NET's non-blocking flock met a holder.</summary>
    private const int WouldBlock = 11;

    /// <summary>
    /// True when a lock attempt failed only because another process holds the lock (wait); false
    /// for EROFS, ENOSPC, EIO and the rest (fail at once).
    /// </summary>
    public static bool IsLockHeld(IOException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.HResult == WouldBlock;
    }

    /// <summary>The one line a front end prints for a failure: file-system failures described, the agent's own as they are.</summary>
    public static string Message(Exception error) => error is IOException or UnauthorizedAccessException ? Describe(error) : error.Message;

    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is UnauthorizedAccessException && DeniedPath().Match(error.Message) is { Success: true } denied)
        {
            string path = denied.Groups["path"].Value;
            return $"{path}: {(Directory.Exists(path) ? "Is a directory" : "Permission denied")}";
        }

        if (error is IOException && ReasonThenPath().Match(error.Message) is { Success: true } io)
        {
            return $"{io.Groups["path"].Value}: {io.Groups["reason"].Value}";
        }

        return error.Message;
    }

    [GeneratedRegex(@"^Access to the path '(?<path>.*)' is denied\.$", RegexOptions.Singleline)]
    private static partial Regex DeniedPath();

    [GeneratedRegex(@"^(?<reason>[^:']+) : '(?<path>.*)'$", RegexOptions.Singleline)]
    private static partial Regex ReasonThenPath();
}
