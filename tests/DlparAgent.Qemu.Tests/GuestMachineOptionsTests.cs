using DlparAgent.Qemu.Guest;

namespace DlparAgent.Qemu.Tests;

public sealed class GuestMachineOptionsTests
{
    private static readonly GuestImage Image = new("/cache/guest", "6.1.0-57-powerpc64le", []);

    [Theory]
    [InlineData(true, "", "console=hvc0")]
    [InlineData(true, "lockdown=integrity", "console=hvc0 lockdown=integrity")]
    [InlineData(false, "", "console=hvc0 initcall_blacklist=__machine_initcall_pseries_init_ras_hotplug_IRQ")]
    [InlineData(false, "lockdown=integrity", "console=hvc0 initcall_blacklist=__machine_initcall_pseries_init_ras_hotplug_IRQ lockdown=integrity")]
    public void The_kernel_command_line_blacklists_the_hotplug_interrupt_only_when_asked(bool takesEvents, string extra, string expected)
    {
        var options = new GuestMachineOptions { KernelTakesHotplugEvents = takesEvents, KernelParameters = extra };

        IReadOnlyList<string> arguments = options.Arguments(Image, "/c", "/h", "/q");

        Assert.Equal(expected, arguments[arguments.ToList().IndexOf("-append") + 1]);
    }
}
