using DlparAgent.Qemu.Guest;

namespace DlparAgent.Qemu.Tests;

/// <summary>
/// A test against the real Linux guest: skipped, with the reason, where QEMU or Debian's apt is
/// missing, or where apt does not know the ppc64el packages and this is not root — unless
/// DLPAR_REQUIRE_GUEST=1 (CI), where it must run.
/// </summary>
public sealed class RealGuestFactAttribute : FactAttribute
{
    public RealGuestFactAttribute() => Skip = Reason();

    private static string? Reason()
    {
        if (Environment.GetEnvironmentVariable("DLPAR_REQUIRE_GUEST") == "1")
        {
            return null;
        }

        if (QemuBinary.Find(Environment.GetEnvironmentVariable) is null)
        {
            return "real-guest tests skipped: qemu-system-ppc64 not found (apt-get install --no-install-recommends qemu-system-ppc)";
        }

        if (GuestImageBuilder.Unavailability(Environment.GetEnvironmentVariable) is { } reason)
        {
            return "real-guest tests skipped: " + reason;
        }

        return Environment.UserName != "root" && !File.ReadAllText("/var/lib/dpkg/arch", System.Text.Encoding.ASCII).Contains("ppc64el", StringComparison.Ordinal)
            ? "real-guest tests skipped: apt has no ppc64el packages (as root: dpkg --add-architecture ppc64el && apt-get update)"
            : null;
    }
}
