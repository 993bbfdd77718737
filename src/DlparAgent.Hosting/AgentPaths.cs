namespace DlparAgent.Hosting;

/// <summary>
/// Where the agent keeps its lock, journal, log and hooks for one platform. On a real partition
/// these are drmgr's own paths below the backend's root (so the agent and the upstream tools
/// exclude each other); on the emulated and QEMU platforms they live in the state directory.
/// <c>DLPAR_DR_LOCK_FILE</c>, <c>DLPAR_DRMGR_LOG</c>, <c>DLPAR_SYSLOG_SOCKET</c> (empty: off) and
/// <c>DLPAR_DRMGR_HOOKS</c> override them.
/// </summary>
public sealed record AgentPaths(string DrLockFile, string Journal, string DrmgrLog, string? SyslogSocket, string HooksDirectory)
{
    /// <summary>The paths of the partition below <paramref name="resolve"/>'s root.</summary>
    public static AgentPaths ForSystem(Func<string, string> resolve, AgentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        return WithOverrides(
            new(resolve("/var/lock/dr_config_lock"), resolve("/var/lib/dlpar-agent/journal"), resolve("/var/log/drmgr"), resolve("/dev/log"),
                resolve("/etc/drmgr.d")),
            environment);
    }

    /// <summary>
    /// The paths for the real-Linux test guest: the DR lock is the guest's own (so the agent and the
    /// guest's drmgr exclude each other); the agent's journal, log and hooks stay on this side, in
    /// the guest's directory.
    /// </summary>
    public static AgentPaths ForGuest(string directory, AgentEnvironment environment) => WithOverrides(
        new("/var/lock/dr_config_lock", Path.Combine(directory, "journal"), Path.Combine(directory, "drmgr.log"), null, Path.Combine(directory, "drmgr.d")),
        environment);

    /// <summary>
    /// The paths of an emulated or QEMU machine's state directory, with the journal beside the
    /// machine the operations change (<paramref name="machineDirectory"/>); no syslog line by default.
    /// </summary>
    public static AgentPaths ForStateDirectory(string directory, string machineDirectory, AgentEnvironment environment) => WithOverrides(
        new(Path.Combine(directory, "dr_config_lock"), Path.Combine(machineDirectory, "journal"), Path.Combine(directory, "drmgr.log"), null,
            Path.Combine(directory, "drmgr.d")),
        environment);

    private static AgentPaths WithOverrides(AgentPaths defaults, AgentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new(
            environment.DrLockFile ?? defaults.DrLockFile,
            defaults.Journal,
            environment.DrmgrLog ?? defaults.DrmgrLog,
            environment.SyslogSocket is { } socket ? socket.Length == 0 ? null : socket : defaults.SyslogSocket,
            environment.HooksDirectory ?? defaults.HooksDirectory);
    }
}
