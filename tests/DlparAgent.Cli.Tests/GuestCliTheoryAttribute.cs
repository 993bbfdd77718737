using DlparAgent.Qemu.Guest;

namespace DlparAgent.Cli.Tests;

/// <summary>A data-driven test against the real Linux guest; skipped as <see cref="GuestCliFactAttribute"/> is.</summary>
public sealed class GuestCliTheoryAttribute : TheoryAttribute
{
    public GuestCliTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("DLPAR_REQUIRE_GUEST") != "1"
            && GuestImageBuilder.CannotRunHere(Environment.GetEnvironmentVariable) is { } reason)
        {
            Skip = "real-guest tests skipped: " + reason;
        }
    }
}
