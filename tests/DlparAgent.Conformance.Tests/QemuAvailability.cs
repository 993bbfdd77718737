using DlparAgent.Conformance.Tests.Platforms;
using DlparAgent.Qemu;

namespace DlparAgent.Conformance.Tests;

/// <summary>
/// Whether the QEMU half can run here: QEMU for every mode, and the cross binutils that build the
/// CAS client for the negotiated ones. With <c>DLPAR_REQUIRE_QEMU=1</c> (CI) nothing is skipped,
/// so a missing QEMU fails loudly instead.
/// </summary>
public static class QemuAvailability
{
    public static bool Required => Environment.GetEnvironmentVariable("DLPAR_REQUIRE_QEMU") == "1";

    /// <summary>Null when the mode can run against QEMU; otherwise the one-line reason it is skipped.</summary>
    public static string? SkipReason(ReferenceMode mode)
    {
        if (Required)
        {
            return null;
        }

        if (QemuBinary.Find(Environment.GetEnvironmentVariable) is null)
        {
            return "QEMU tests skipped: qemu-system-ppc64 not found (apt-get install --no-install-recommends qemu-system-ppc)";
        }

        if (mode != ReferenceMode.Legacy && !CasClientImage.CanBuild())
        {
            return "negotiated-mode QEMU tests skipped: the CAS client needs binutils-powerpc64-linux-gnu";
        }

        return null;
    }
}

/// <summary>A test that needs QEMU in the no-CAS mode; skipped with one clear reason when QEMU is missing.</summary>
public sealed class QemuFactAttribute : FactAttribute
{
    public QemuFactAttribute() => Skip = QemuAvailability.SkipReason(ReferenceMode.Legacy);
}

/// <summary>A data-driven test that needs QEMU; each row skips itself (see <see cref="QemuAvailability"/>).</summary>
public sealed class QemuTheoryAttribute : TheoryAttribute
{
    public QemuTheoryAttribute() => Skip = QemuAvailability.SkipReason(ReferenceMode.Legacy);
}

/// <summary>A test that needs a negotiating QEMU (QEMU plus the CAS client's binutils).</summary>
public sealed class NegotiatedQemuTheoryAttribute : TheoryAttribute
{
    public NegotiatedQemuTheoryAttribute() => Skip = QemuAvailability.SkipReason(ReferenceMode.Modern);
}
