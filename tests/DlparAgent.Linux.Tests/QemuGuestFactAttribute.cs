using DlparAgent.Qemu.Guest;

namespace DlparAgent.Linux.Tests;

/// <summary>
/// A test of the Linux backend against the real Linux guest on QEMU: skipped, with the reason,
/// where the guest cannot run here — unless DLPAR_REQUIRE_GUEST=1 (CI), where it must run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class QemuGuestFactAttribute : FactAttribute
{
    public QemuGuestFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DLPAR_REQUIRE_GUEST") != "1"
            && GuestImageBuilder.CannotRunHere(Environment.GetEnvironmentVariable) is { } reason)
        {
            Skip = "real-guest tests skipped: " + reason;
        }
    }
}
