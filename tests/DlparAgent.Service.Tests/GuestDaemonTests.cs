namespace DlparAgent.Service.Tests;

/// <summary>
/// dlpard on the real Linux guest: it reads the real rtasd error log (<c>/proc/powerpc/rtas/error_log</c>)
/// through the guest's helper and handles the HMC's PCI plug and unplug end to end, while the
/// kernel consumes memory and CPU events itself.
/// </summary>
[Collection("real guest")]
public sealed class GuestDaemonTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dlpar-guest-dlpard-").FullName;

    [GuestDaemonFact]
    public void A_pci_card_the_hmc_plugs_is_configured_by_dlpard_and_released_on_unplug()
    {
        Assert.Equal(0, Dlpar("platform", "guest", "start", "--dir", _directory).ExitCode);
        using var daemon = new Daemon("--platform", "guest:" + _directory);

        Assert.Equal("pci1", Dlpar("platform", "guest", "plug", "pci", "--slot", "4", "--dir", _directory).Out.Trim());
        daemon.WaitFor(l => l.Contains("pci add index 0x40000020: 1 of 1 done", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Contains("0000:00:04.0", Dlpar("platform", "guest", "run", "--dir", _directory, "ls /sys/bus/pci/devices").Out, StringComparison.Ordinal);

        // Memory events are the kernel's own: it adds the DIMM's LMBs, and nothing reaches dlpard.
        Assert.Equal(0, Dlpar("platform", "guest", "plug", "memory", "--size", "256M", "--dir", _directory).ExitCode);

        Assert.Equal(0, Dlpar("platform", "guest", "unplug", "pci1", "--dir", _directory).ExitCode);
        daemon.WaitFor(l => l.Contains("pci remove index 0x40000020: 1 of 1 done", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("0000:00:04.0", Dlpar("platform", "guest", "run", "--dir", _directory, "ls /sys/bus/pci/devices").Out,
            StringComparison.Ordinal);
        Assert.DoesNotContain(daemon.Lines, l => l.Contains("memory add", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Dlpar("platform", "guest", "stop", "--dir", _directory);
        Directory.Delete(_directory, recursive: true);
    }

    private static (int ExitCode, string Out, string Error) Dlpar(params string[] args) => DlparProcess.Run(args);
}
