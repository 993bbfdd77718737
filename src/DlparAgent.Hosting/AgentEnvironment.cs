using System.Runtime.InteropServices;

namespace DlparAgent.Hosting;

/// <summary>
/// Every environment variable and machine fact the agent reads, read once here and nowhere else:
/// the platform choice, the emulated machine's directory, the real backend's root, and the
/// overrides of drmgr's system paths (lock, log, syslog socket, hooks).
/// </summary>
public sealed record AgentEnvironment
{
    public const string PlatformVariable = "DLPAR_PLATFORM";
    public const string StateDirectoryVariable = Emulation.Persistence.MachineStore.EnvironmentVariable;
    public const string LinuxRootVariable = "DLPAR_LINUX_ROOT";
    public const string DrLockVariable = "DLPAR_DR_LOCK_FILE";
    public const string DrmgrLogVariable = "DLPAR_DRMGR_LOG";
    public const string SyslogVariable = "DLPAR_SYSLOG_SOCKET";
    public const string HooksVariable = "DLPAR_DRMGR_HOOKS";
    public const string KernelDlparVariable = "DLPAR_KERNEL_DLPAR";
    public const string GuestCallLogVariable = "DLPAR_GUEST_CALL_LOG";
    public const string EmulatedDurableVariable = "DLPAR_EMULATED_DURABLE";

    public string? Platform { get; init; }

    public string? StateDirectory { get; init; }

    /// <summary>Where the real backend finds <c>/proc</c>, <c>/sys</c> and <c>/dev</c>; <c>/</c> on a partition.</summary>
    public string LinuxRoot { get; init; } = "/";

    public string? DrLockFile { get; init; }

    public string? DrmgrLog { get; init; }

    /// <summary>Null: the default socket; empty: no syslog line.</summary>
    public string? SyslogSocket { get; init; }

    public string? HooksDirectory { get; init; }

    /// <summary>
    /// On a real partition, the <c>/sys/kernel/dlpar</c> resources the agent may use (<c>memory,cpu,dt</c>;
    /// <c>none</c>: the agent's own userspace path for everything); null: all the kernel offers.
    /// </summary>
    public string? KernelDlpar { get; init; }

    /// <summary>On the guest platform, a file that gets one line per command: the calls forwarded to the guest and the seconds they took.</summary>
    public string? GuestCallLog { get; init; }

    /// <summary>
    /// The emulated machine is saved at every journal sync, as firmware and a kernel keep their state
    /// when the agent dies: a crash then leaves the machine mid-operation, as on a partition (slower;
    /// for crash testing). Otherwise it is saved once, when the command ends.
    /// </summary>
    public bool EmulatedDurable { get; init; }

    /// <summary>The default emulated state directory: <c>XDG_STATE_HOME</c>/<c>HOME</c> for a user, <c>/var/lib</c> for root.</summary>
    public string DefaultStateDirectory { get; init; } = "/var/lib/dlpar-agent/emulated";

    public Architecture Architecture { get; init; } = RuntimeInformation.ProcessArchitecture;

    /// <summary>Whether this is a Power partition with RTAS (decides the default platform).</summary>
    public bool HasRtas { get; init; }

    /// <summary>Reads the process environment and this machine.</summary>
    public static AgentEnvironment FromProcess() => From(Environment.GetEnvironmentVariable);

    /// <summary>Reads the variables from <paramref name="variable"/> (tests give their own) and the facts from this machine.</summary>
    public static AgentEnvironment From(Func<string, string?> variable) => From(variable, path => Directory.Exists(path), IsRoot());

    /// <summary>Reads an environment given as a lookup (tests pass their own).</summary>
    public static AgentEnvironment From(Func<string, string?> variable, Func<string, bool> directoryExists, bool isRoot)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(directoryExists);
        return new AgentEnvironment
        {
            Platform = NonEmpty(variable(PlatformVariable)),
            StateDirectory = NonEmpty(variable(StateDirectoryVariable)),
            LinuxRoot = NonEmpty(variable(LinuxRootVariable)) ?? "/",
            DrLockFile = NonEmpty(variable(DrLockVariable)),
            DrmgrLog = NonEmpty(variable(DrmgrLogVariable)),
            SyslogSocket = variable(SyslogVariable),
            HooksDirectory = NonEmpty(variable(HooksVariable)),
            KernelDlpar = NonEmpty(variable(KernelDlparVariable)),
            GuestCallLog = NonEmpty(variable(GuestCallLogVariable)),
            EmulatedDurable = variable(EmulatedDurableVariable) is "1" or "yes" or "true",
            DefaultStateDirectory = Emulation.Persistence.MachineStore.DefaultDirectory(variable, isRoot),
            HasRtas = directoryExists("/proc/device-tree/rtas"),
        };
    }

    /// <summary>The emulated machine's directory: the option when given, else the default.</summary>
    public string StateDirectoryFor(string? option) => option is { Length: > 0 } ? option : DefaultStateDirectory;

    private static string? NonEmpty(string? value) => value is { Length: > 0 } ? value : null;

    private static bool IsRoot()
    {
        try
        {
            return Environment.UserName == "root";
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
