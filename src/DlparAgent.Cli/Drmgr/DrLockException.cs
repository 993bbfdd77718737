namespace DlparAgent.Cli.Drmgr;

/// <summary>The DR lock could not be taken: it could not be opened, or another command held it too long.</summary>
internal sealed class DrLockException(string message, Exception inner) : Exception(message, inner);
