using System.Globalization;

namespace DlparAgent.Qemu.Guest;

/// <summary>
/// The guest's shape: a QEMU 7.2 pseries machine with room for hot-plugged memory (256 MiB LMBs)
/// and CPU cores, a boot NIC on PHB 0, and the kernel command line.
/// </summary>
public sealed record GuestMachineOptions
{
    public int MemoryMiB { get; init; } = 2048;

    public int MaxMemoryGiB { get; init; } = 8;

    public int MemorySlots { get; init; } = 32;

    public int Cpus { get; init; } = 1;

    public int MaxCpus { get; init; } = 8;

    /// <summary>Extra kernel parameters, e.g. <c>lockdown=integrity</c>.</summary>
    public string KernelParameters { get; init; } = string.Empty;

    /// <summary>
    /// Whether the kernel takes QEMU's hotplug-event interrupt and adds plugged memory and CPUs by itself.
    /// Off, the interrupt's initcall is blacklisted: plugged LMBs and cores wait for drmgr, as on PowerVM,
    /// where the HMC runs drmgr and no event reaches the kernel (PCI events then miss the error log too).
    /// </summary>
    public bool KernelTakesHotplugEvents { get; init; } = true;

    /// <summary>The initcall of Linux 6.1 (pseries ras.c) that requests the hotplug-event interrupt.</summary>
    public const string HotplugInterruptInitcall = "__machine_initcall_pseries_init_ras_hotplug_IRQ";

    /// <summary>SLOF and the 45 MB vmlinux under TCG take 10 to 20 s on a 2-core host; busy CI hosts more.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>QEMU's command line: the console and the helper channel are the machine's first two spapr-vty devices (hvc0, hvc1).</summary>
    /// <param name="serve">QEMU listens on the sockets (a detached guest) instead of connecting to ours.</param>
    public IReadOnlyList<string> Arguments(GuestImage image, string consoleSocket, string helperSocket, string qmpSocket, bool serve = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        string hotplug = KernelTakesHotplugEvents ? string.Empty : " initcall_blacklist=" + HotplugInterruptInitcall;
        string append = ("console=hvc0" + hotplug + " " + KernelParameters).Trim();
        string server = serve ? ",server=on,wait=off" : string.Empty;
        return
        [
            "-M", "pseries", "-cpu", "POWER9",
            "-m", string.Create(CultureInfo.InvariantCulture, $"{MemoryMiB}M,slots={MemorySlots},maxmem={MaxMemoryGiB}G"),
            "-smp", string.Create(CultureInfo.InvariantCulture, $"{Cpus},maxcpus={MaxCpus}"),
            "-nodefaults", "-display", "none", "-no-user-config",
            "-chardev", $"socket,id=console,path={consoleSocket}{server}",
            "-chardev", $"socket,id=helper,path={helperSocket}{server}",
            "-serial", "chardev:console", "-serial", "chardev:helper",
            "-chardev", $"socket,id=qmp0,path={qmpSocket}{server}", "-mon", "chardev=qmp0,mode=control",
            "-device", "e1000,id=nic0,bus=pci.0,addr=0x1,romfile=",
            "-kernel", image.Kernel, "-initrd", image.Initrd, "-append", append,
        ];
    }
}
