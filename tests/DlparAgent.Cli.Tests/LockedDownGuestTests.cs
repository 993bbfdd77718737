namespace DlparAgent.Cli.Tests;

/// <summary>
/// The real 6.1 kernel under <c>lockdown=integrity</c>: doctor says what still works, CPU and memory
/// go through /sys/kernel/dlpar, and what needs the userspace RTAS path fails with one line naming lockdown.
/// </summary>
[Collection("real guest")]
public sealed class LockedDownGuestTests(LockedDownGuestFixture guest) : IClassFixture<LockedDownGuestFixture>
{
    [GuestCliFact]
    public void Doctor_names_lockdown_and_keeps_cpu_and_memory_working()
    {
        var (code, output, _) = guest.Dlpar("doctor");

        Assert.Equal(0, code);
        Assert.Contains("lockdown      integrity: /dev/mem and /proc/powerpc/ofdt are closed", output, StringComparison.Ordinal);
        Assert.Contains("cpu DLPAR     works: through /sys/kernel/dlpar", output, StringComparison.Ordinal);
        Assert.Contains("memory DLPAR  works: through /sys/kernel/dlpar", output, StringComparison.Ordinal);
        Assert.Contains("io DLPAR      will not work", output, StringComparison.Ordinal);
    }

    [GuestCliFact]
    public void A_cpu_is_removed_through_the_kernel_and_a_pci_add_fails_with_one_line_naming_lockdown()
    {
        Assert.Equal(0, guest.Guest("plug", "cpu", "--core-id", "2").ExitCode);
        Assert.Equal(0, guest.Guest("plug", "pci", "--slot", "3").ExitCode);
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!guest.Dlpar("list", "cpu", "--owned").Out.Contains("CPU 2 ", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the kernel did not add CPU 2");
            Thread.Sleep(500);
        }

        Assert.Equal((0, "CPU 2\n"), guest.Dlpar("drmgr", "-c", "cpu", "-r", "-s", "CPU 2") is var (c, o, _) ? (c, o) : default);

        var (code, output, error) = guest.Dlpar("drmgr", "-c", "pci", "-a", "-s", "C24", "-n");
        Assert.Equal((255, string.Empty), (code, output));
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lockdown", error, StringComparison.Ordinal);
    }
}
