namespace DlparAgent.Qemu.Guest;

/// <summary>
/// A built real-Linux guest: Debian's ppc64el kernel (the uncompressed ELF SLOF loads with
/// <c>-kernel</c>) and an initramfs of Debian ppc64el userland (busybox, powerpc-ibm-utils,
/// ppc64-diag), cached in <see cref="Directory"/> under a key of the package versions.
/// </summary>
/// <param name="KernelRelease">The kernel's <c>uname -r</c>, e.g. <c>6.1.0-57-powerpc64le</c>.</param>
/// <param name="Packages">Every package in the image as <c>name=version</c>, sorted.</param>
public sealed record GuestImage(string Directory, string KernelRelease, IReadOnlyList<string> Packages)
{
    public const string KernelFile = "vmlinux";
    public const string InitrdFile = "initrd.gz";
    public const string PackagesFile = "packages.txt";
    public const string ReleaseFile = "kernel-release";

    public string Kernel => Path.Combine(Directory, KernelFile);

    public string Initrd => Path.Combine(Directory, InitrdFile);

    /// <summary>The image in <paramref name="directory"/> when it is complete; null otherwise.</summary>
    public static GuestImage? Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string release = Path.Combine(directory, ReleaseFile), packages = Path.Combine(directory, PackagesFile);
        if (!File.Exists(Path.Combine(directory, KernelFile)) || !File.Exists(Path.Combine(directory, InitrdFile)) || !File.Exists(release)
            || !File.Exists(packages))
        {
            return null;
        }

        return new GuestImage(directory, File.ReadAllText(release).Trim(), [.. File.ReadAllLines(packages).Where(l => l.Length > 0)]);
    }
}
