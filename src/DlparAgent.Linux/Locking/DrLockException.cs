namespace DlparAgent.Linux.Locking;

/// <summary>The DR lock could not be taken: it could not be opened, or another command held it too long.</summary>
public sealed class DrLockException(string message, Exception inner) : Exception(message, inner);
