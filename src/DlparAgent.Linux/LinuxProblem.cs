namespace DlparAgent.Linux;

/// <summary>Why the real backend cannot do something, so that front ends can say so precisely.</summary>
public enum LinuxProblem
{
    /// <summary>The <c>rtas</c> syscall needs root (<c>CAP_SYS_ADMIN</c>): EPERM.</summary>
    NotPermitted,

    /// <summary>The kernel refused the call: not in its allowlist, a buffer outside the RMO region, or no RTAS (EINVAL).</summary>
    CallBlocked,

    /// <summary>The firmware has no token for the service (<c>/proc/device-tree/rtas/&lt;name&gt;</c> is missing).</summary>
    NoToken,

    /// <summary>No RTAS at all: not a pseries partition, or no <c>/proc/device-tree/rtas</c>.</summary>
    NoRtas,

    /// <summary>The architecture has no <c>rtas</c> syscall.</summary>
    NoSyscall,

    NoRmoBuffer,

    /// <summary><c>/dev/mem</c> cannot be opened (lockdown, STRICT_DEVMEM, not root).</summary>
    NoDevMem,

    RmoExhausted,

    /// <summary>Kernel lockdown forbids the interface (ofdt writes, /dev/mem).</summary>
    LockedDown,

    /// <summary>A kernel file the operation needs does not exist.</summary>
    MissingKernelFile,
}
