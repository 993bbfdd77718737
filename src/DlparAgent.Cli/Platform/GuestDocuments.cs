namespace DlparAgent.Cli.Platform;

/// <summary><c>dlpar platform guest build --json</c>: where the image is, its kernel and its packages.</summary>
internal sealed record GuestImageDocument(string Directory, string KernelRelease, IReadOnlyList<string> Packages, bool Ok = true);

/// <summary><c>dlpar platform guest start|stop|status --json</c>.</summary>
internal sealed record GuestStatusDocument(string Directory, int? Pid, string? KernelRelease, double? BootSeconds, bool Ok = true);

/// <summary><c>dlpar platform guest plug|unplug --json</c>: the device id QEMU knows it by.</summary>
internal sealed record GuestDeviceDocument(string? Device, bool Ok = true);
