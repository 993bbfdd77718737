namespace DlparAgent.Cli.Drmgr;

/// <summary>
/// Where drmgr keeps its lock, log and hooks, and where its syslog line goes. On a real partition
/// these are drmgr's own paths (/var/lock/dr_config_lock, /var/log/drmgr, /etc/drmgr.d,
/// /dev/log); for an emulated partition they live in its state directory and syslog stays off, so
/// a demo never contends with (or pollutes) the host's real DR state. Each path can be
/// overridden: <c>DLPAR_DR_LOCK_FILE</c>, <c>DLPAR_DRMGR_LOG</c>, <c>DLPAR_SYSLOG_SOCKET</c> (empty: off), <c>DLPAR_DRMGR_HOOKS</c>.
/// </summary>
internal sealed record DrmgrPaths(string LockFile, string LogFile, string? SyslogSocket, string HooksDirectory)
{
    /// <summary>drmgr's own paths, shared with powerpc-utils' drmgr and RSCT on a real partition (below the Linux backend's root).</summary>
    public static DrmgrPaths ForSystem(Func<string, string> resolve) => WithOverrides(new(resolve("/var/lock/dr_config_lock"), resolve("/var/log/drmgr"), resolve("/dev/log"), resolve("/etc/drmgr.d")));

    public static DrmgrPaths ForEmulated(string stateDirectory) => WithOverrides(new(
        Path.Combine(stateDirectory, "dr_config_lock"),
        Path.Combine(stateDirectory, "drmgr.log"),
        null,
        Path.Combine(stateDirectory, "drmgr.d")));

    private static DrmgrPaths WithOverrides(DrmgrPaths defaults)
    {
        string? syslog = Environment.GetEnvironmentVariable("DLPAR_SYSLOG_SOCKET");
        return new(
            NonEmpty(Environment.GetEnvironmentVariable("DLPAR_DR_LOCK_FILE")) ?? defaults.LockFile,
            NonEmpty(Environment.GetEnvironmentVariable("DLPAR_DRMGR_LOG")) ?? defaults.LogFile,
            syslog is null ? defaults.SyslogSocket : NonEmpty(syslog),
            NonEmpty(Environment.GetEnvironmentVariable("DLPAR_DRMGR_HOOKS")) ?? defaults.HooksDirectory);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
