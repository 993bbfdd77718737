namespace DlparAgent.Cli.Tests;

/// <summary>The real Linux guest booted with <c>lockdown=integrity</c>: /dev/mem and ofdt writes are closed.</summary>
public sealed class LockedDownGuestFixture : GuestPlatformFixture
{
    public LockedDownGuestFixture()
        : base("--kernel-args", "lockdown=integrity")
    {
    }
}
