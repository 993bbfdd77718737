namespace DlparAgent.Cli.Drmgr;

/// <summary>
/// Where drmgr keeps its lock and log, and where its syslog line goes. On a real partition these are
/// drmgr's own paths; for an emulated partition they live in its state directory and syslog stays
/// off, so a demo never contends with (or pollutes) the host's real DR state. Each path can be
/// overridden: <c>DLPAR_DR_LOCK_FILE</c>, <c>DLPAR_DRMGR_LOG</c>, <c>DLPAR_SYSLOG_SOCKET</c> (empty: off).
/// </summary>
internal sealed record DrmgrPaths(string LockFile, string LogFile, string? SyslogSocket)
{
    public static DrmgrPaths System { get; } = new("/var/lock/dr_config_lock", "/var/log/drmgr", "/dev/log");

    public static DrmgrPaths ForEmulated(string stateDirectory) => WithOverrides(new(
        Path.Combine(stateDirectory, "dr_config_lock"),
        Path.Combine(stateDirectory, "drmgr.log"),
        null));

    private static DrmgrPaths WithOverrides(DrmgrPaths defaults)
    {
        string? syslog = Environment.GetEnvironmentVariable("DLPAR_SYSLOG_SOCKET");
        return new(
            NonEmpty(Environment.GetEnvironmentVariable("DLPAR_DR_LOCK_FILE")) ?? defaults.LockFile,
            NonEmpty(Environment.GetEnvironmentVariable("DLPAR_DRMGR_LOG")) ?? defaults.LogFile,
            syslog is null ? defaults.SyslogSocket : NonEmpty(syslog));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
