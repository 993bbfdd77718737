namespace DlparAgent.Qemu;

/// <summary>What went wrong with QEMU, so that front-ends can pick an exit code and a hint.</summary>
public enum QemuProblem
{
    /// <summary><c>qemu-system-ppc64</c> is not installed (or <c>DLPAR_QEMU</c> names nothing runnable).</summary>
    NotInstalled,

    /// <summary>QEMU exited, or never connected.</summary>
    Died,

    /// <summary>A reply that does not follow the qtest or QMP protocol.</summary>
    Protocol,

    /// <summary>QEMU refused a management command (a QMP error).</summary>
    Refused,

    /// <summary>QEMU did not answer, or an awaited event did not come, in time.</summary>
    Timeout,

    /// <summary>No QEMU machine is running for this state directory.</summary>
    NotRunning,

    /// <summary>The real-Linux guest's image cannot be built here (no apt/dpkg, no ppc64el packages, not root for the first setup).</summary>
    GuestImageUnavailable,
}
