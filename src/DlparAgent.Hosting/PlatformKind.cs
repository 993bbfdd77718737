namespace DlparAgent.Hosting;

/// <summary>Which backend a command drives.</summary>
public enum PlatformKind
{
    /// <summary>The partition's own firmware and kernel (rtas syscall, /dev/papr-*, /sys/kernel/dlpar).</summary>
    Linux,

    /// <summary>The bundled emulated PAPR platform in a state directory.</summary>
    Emulated,

    /// <summary>QEMU's pseries machine as the firmware (qtest), the emulated kernel as the OS side.</summary>
    Qemu,

    /// <summary>The real-Linux test guest under QEMU: the Linux backend, its system calls carried out in the guest by the helper.</summary>
    Guest,
}
