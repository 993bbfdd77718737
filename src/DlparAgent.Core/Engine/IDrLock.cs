namespace DlparAgent.Core.Engine;

/// <summary>
/// The DR configuration lock that drmgr, lsslot, RSCT and dlpard share. Holding it is reentrant
/// within the process (as POSIX record locks are): a front end that took it before opening the
/// partition does not wait for itself when the engine takes it again.
/// </summary>
public interface IDrLock
{
    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> (without a limit when null); disposing the result releases it.</summary>
    IDisposable Acquire(TimeSpan? wait);
}
