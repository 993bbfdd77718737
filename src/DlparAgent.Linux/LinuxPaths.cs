using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux;

/// <summary>
/// Where the backend finds the kernel's files: every path is below an injectable root (<c>/</c>
/// on a real system, a prepared tree in tests).
/// </summary>
public sealed class LinuxPaths(string root)
{
    public string Root { get; } = string.IsNullOrEmpty(root) ? "/" : root;

    /// <summary>An absolute system path (<c>/proc/…</c>) below the root.</summary>
    public string Resolve(string systemPath) => Root == "/" ? systemPath : Path.Join(Root, systemPath);

    public string DeviceTree => Resolve("/proc/device-tree");

    public string RtasNode => Resolve("/proc/device-tree/rtas");

    /// <summary><c>/proc/powerpc/rtas/rmo_buffer</c>, else the older <c>/proc/ppc64/rtas/rmo_buffer</c>; null when neither exists.</summary>
    public string? FindRmoBuffer(ILinuxNative native) => native.FirstExisting(Resolved("/proc/powerpc/rtas/rmo_buffer", "/proc/ppc64/rtas/rmo_buffer"));

    public string DevMem => Resolve("/dev/mem");

    public string LibrtasLock => Resolve("/var/lock/LCK..librtas");

    public string PaprIndices => Resolve("/dev/papr-indices");

    public string PaprSysparm => Resolve("/dev/papr-sysparm");

    /// <summary>The rtasd error log, <c>/proc/powerpc/rtas/error_log</c> or the older ppc64 names; null when absent.</summary>
    public string? FindErrorLog(ILinuxNative native) =>
        native.FirstExisting(Resolved("/proc/powerpc/rtas/error_log", "/proc/ppc64/rtas/error_log", "/proc/ppc64/error_log"));

    public string Lockdown => Resolve("/sys/kernel/security/lockdown");

    private IEnumerable<string> Resolved(params string[] candidates) => candidates.Select(Resolve);
}
