using DlparAgent.Qemu.Guest;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// A test of dlpar, drmgr and lsslot against the real Linux guest; skipped with the reason where
/// it cannot run, unless DLPAR_REQUIRE_GUEST=1.
/// </summary>
public sealed class GuestCliFactAttribute : FactAttribute
{
    public GuestCliFactAttribute() => Skip = SkipReason();

    /// <summary>Why real-guest tests cannot run here, or null when they can (or must: DLPAR_REQUIRE_GUEST=1).</summary>
    internal static string? SkipReason() =>
        Environment.GetEnvironmentVariable("DLPAR_REQUIRE_GUEST") != "1"
            && GuestImageBuilder.CannotRunHere(Environment.GetEnvironmentVariable) is { } reason
            ? "real-guest tests skipped: " + reason
            : null;
}
