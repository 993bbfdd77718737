using DlparAgent.Qemu.Guest;

namespace DlparAgent.Service.Tests;

/// <summary>dlpard against the real Linux guest; skipped with the reason where the guest cannot run, unless DLPAR_REQUIRE_GUEST=1.</summary>
public sealed class GuestDaemonFactAttribute : FactAttribute
{
    public GuestDaemonFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DLPAR_REQUIRE_GUEST") != "1"
            && GuestImageBuilder.CannotRunHere(Environment.GetEnvironmentVariable) is { } reason)
        {
            Skip = "real-guest tests skipped: " + reason;
        }
    }
}
