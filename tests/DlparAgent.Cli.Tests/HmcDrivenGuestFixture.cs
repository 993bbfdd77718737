namespace DlparAgent.Cli.Tests;

/// <summary>
/// The real Linux guest booted without the kernel's hotplug-event interrupt: memory and CPUs the HMC
/// plugs wait for drmgr, as on PowerVM, so drmgr's adds meet real firmware connectors.
/// </summary>
public sealed class HmcDrivenGuestFixture : GuestPlatformFixture
{
    public HmcDrivenGuestFixture()
        : base("--no-hotplug-events")
    {
    }
}
