using DlparAgent.Qemu.Guest;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// A test of dlpar, drmgr and lsslot against the real Linux guest; skipped with the reason where
/// it cannot run, unless DLPAR_REQUIRE_GUEST=1.
/// </summary>
public sealed class GuestCliFactAttribute : FactAttribute
{
    public GuestCliFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DLPAR_REQUIRE_GUEST") != "1"
            && GuestImageBuilder.CannotRunHere(Environment.GetEnvironmentVariable) is { } reason)
        {
            Skip = "real-guest tests skipped: " + reason;
        }
    }
}
