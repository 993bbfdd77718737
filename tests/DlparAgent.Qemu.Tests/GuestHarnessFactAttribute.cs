using DlparAgent.Qemu.Guest;

namespace DlparAgent.Qemu.Tests;

/// <summary>
/// A test against the real Linux guest: skipped, with the reason, where it cannot run (no QEMU,
/// apt, cross compiler) — unless DLPAR_REQUIRE_GUEST=1 (CI), where it must run.
/// </summary>
public sealed class GuestHarnessFactAttribute : FactAttribute
{
    public GuestHarnessFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DLPAR_REQUIRE_GUEST") != "1"
            && GuestImageBuilder.CannotRunHere(Environment.GetEnvironmentVariable) is { } reason)
        {
            Skip = "real-guest tests skipped: " + reason;
        }
    }
}
