using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace DlparAgent.Qemu.Guest;

/// <summary>
/// Assembles the real-Linux guest from Debian's ppc64el packages: <c>apt-get download</c> (after
/// <c>dpkg --add-architecture ppc64el</c>; nothing is installed on the host), <c>dpkg-deb -x</c>,
/// the three kernel modules DLPAR needs (rpaphp, rpadlpar_io, e1000) with a modules.dep busybox's
/// modprobe can read, the project's <c>/init</c>, and a newc initramfs written here (no cpio tool).
/// </summary>
public static class GuestImageBuilder
{
    public const string Architecture = "ppc64el";
    public const string KernelMetaPackage = "linux-image-powerpc64le";

    /// <summary>The in-guest helper's path in the image; <c>/init</c> starts it on hvc1.</summary>
    public const string HelperPath = "sbin/dlpar-guest-helper";

    private const string HelperCompiler = "powerpc64le-linux-gnu-gcc";

    /// <summary>Bumped when the layout of an image changes, so that old caches are rebuilt.</summary>
    private const string LayoutVersion = "1";

    /// <summary>The userland: busybox, the real drmgr/lsslot and rtas_errd, and what they link against.</summary>
    public static IReadOnlyList<string> Userland { get; } =
    [
        "busybox-static", "libc6", "powerpc-ibm-utils", "librtas2", "librtasevent2", "libnuma1", "zlib1g", "bc", "ppc64-diag",
        "libservicelog-1.1-1", "libsqlite3-0", "libgcc-s1", "libstdc++6", "libncurses6", "libtinfo6", "libudev1",
    ];

    /// <summary>The modules the guest loads (all <c>=m</c> in Debian's kernel), with their dependencies.</summary>
    private static readonly (string Path, string[] Needs)[] Modules =
    [
        ("kernel/drivers/pci/hotplug/rpaphp.ko", []),
        ("kernel/drivers/pci/hotplug/rpadlpar_io.ko", ["kernel/drivers/pci/hotplug/rpaphp.ko"]),
        ("kernel/drivers/net/ethernet/intel/e1000/e1000.ko", []),
    ];

    /// <summary><c>${XDG_CACHE_HOME:-~/.cache}/dlpar-agent/guest</c>.</summary>
    public static string CacheRoot(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string cache = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "dlpar-agent", "guest");
    }

    /// <summary>Why the image cannot be built on this host (with the command that fixes it), or null when it can.</summary>
    public static string? Unavailability(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string[] missing = [.. ((string[])["apt-get", "apt-cache", "dpkg", "dpkg-deb"]).Where(tool => ExecutableSearch.Find(tool, environment) is null)];
        if (missing.Length > 0)
        {
            return $"the real-Linux guest is assembled from Debian packages, and {string.Join(", ", missing)} is missing: build it on Debian or Ubuntu";
        }

        return ExecutableSearch.Find(HelperCompiler, environment) is null
            ? $"the guest's helper is built with {HelperCompiler}: apt-get install --no-install-recommends gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross"
            : null;
    }

    /// <summary>
    /// Why the real-Linux guest cannot run on this host (QEMU, apt and dpkg, the cross compiler,
    /// and either root or apt already knowing ppc64el), with the command that fixes it; null when it can.
    /// </summary>
    public static string? CannotRunHere(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (QemuBinary.Find(environment) is null)
        {
            return "qemu-system-ppc64 not found (apt-get install --no-install-recommends qemu-system-ppc)";
        }

        if (Unavailability(environment) is { } reason)
        {
            return reason;
        }

        bool knowsArchitecture = File.Exists("/var/lib/dpkg/arch") && File.ReadAllText("/var/lib/dpkg/arch").Contains(Architecture, StringComparison.Ordinal);
        return knowsArchitecture || Environment.UserName == "root"
            ? null
            : $"apt has no {Architecture} packages (as root: dpkg --add-architecture {Architecture} && apt-get update)";
    }

    /// <summary>The cached image for the packages apt offers now, built first when there is none.</summary>
    public static GuestImage Build(Func<string, string?> environment, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (Unavailability(environment) is { } reason)
        {
            throw new QemuException(QemuProblem.GuestImageUnavailable, reason);
        }

        EnsureArchitecture(progress);
        string kernelPackage = KernelPackage();
        string[] packages = [kernelPackage, .. Userland];
        IReadOnlyList<string> versions = Versions(packages);
        string directory = Path.Combine(CacheRoot(environment), Key(versions));
        if (GuestImage.Open(directory) is { } cached)
        {
            return cached;
        }

        progress?.WriteLine($"dlpar: assembling the real-Linux guest in {directory}");
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        string work = directory + ".building-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        try
        {
            Assemble(work, kernelPackage, packages, versions, progress);
            if (Directory.Exists(directory))
            {
                // Another process finished first; its image is as good as ours.
                Directory.Delete(work, recursive: true);
            }
            else
            {
                Directory.Move(work, directory);
            }
        }
        catch
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }

            throw;
        }

        return GuestImage.Open(directory) ?? throw new QemuException(QemuProblem.GuestImageUnavailable, $"{directory}: the built image is incomplete");
    }

    private static void EnsureArchitecture(TextWriter? progress)
    {
        string foreign = HostCommand.Require("dpkg", null, "listing dpkg's foreign architectures", "--print-foreign-architectures");
        if (foreign.Split('\n', StringSplitOptions.TrimEntries).Contains(Architecture))
        {
            return;
        }

        if (Environment.UserName != "root")
        {
            throw new QemuException(QemuProblem.GuestImageUnavailable,
                $"apt does not know the {Architecture} packages yet; once, as root: dpkg --add-architecture {Architecture} && apt-get update");
        }

        progress?.WriteLine($"dlpar: dpkg --add-architecture {Architecture} && apt-get update (package lists only; nothing is installed)");
        HostCommand.Require("dpkg", null, "adding the ppc64el architecture", "--add-architecture", Architecture);
        HostCommand.Require("apt-get", null, "reading the ppc64el package lists", "update", "-qq");
    }

    /// <summary>The kernel package the meta-package points at now, e.g. <c>linux-image-6.1.0-57-powerpc64le</c>.</summary>
    private static string KernelPackage()
    {
        string depends = HostCommand.Require("apt-cache", null, "resolving the ppc64el kernel", "depends", $"{KernelMetaPackage}:{Architecture}");
        foreach (string line in depends.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("Depends: linux-image-", StringComparison.Ordinal))
            {
                string package = line["Depends: ".Length..];
                return package.EndsWith(":" + Architecture, StringComparison.Ordinal) ? package[..^(Architecture.Length + 1)] : package;
            }
        }

        throw new QemuException(QemuProblem.GuestImageUnavailable, $"apt names no kernel for {KernelMetaPackage}:{Architecture} (apt-get update?)");
    }

    /// <summary><c>name=version</c> of the candidate of each package, sorted.</summary>
    private static IReadOnlyList<string> Versions(string[] packages)
    {
        string show = HostCommand.Require("apt-cache", null, "reading the ppc64el package versions",
            ["show", "--no-all-versions", .. packages.Select(p => $"{p}:{Architecture}")]);
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        string? name = null;
        foreach (string line in show.Split('\n'))
        {
            if (line.StartsWith("Package: ", StringComparison.Ordinal))
            {
                name = line["Package: ".Length..].Trim();
            }
            else if (line.StartsWith("Version: ", StringComparison.Ordinal) && name is not null)
            {
                versions.Add($"{name}={line["Version: ".Length..].Trim()}");
                name = null;
            }
        }

        string[] missing = [.. packages.Where(p => !versions.Any(v => v.StartsWith(p + "=", StringComparison.Ordinal)))];
        return missing.Length == 0
            ? [.. versions]
            : throw new QemuException(QemuProblem.GuestImageUnavailable, $"apt offers no {Architecture} version of {string.Join(", ", missing)}");
    }

    /// <summary>The cache key: the package versions, the guest's /init and the image layout.</summary>
    private static string Key(IReadOnlyList<string> versions)
    {
        string identity = string.Join('\n', [$"layout {LayoutVersion}", .. versions, Resource("guest-init.sh"), Resource("dlpar-guest-helper.c")]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
    }

    private static void Assemble(string work, string kernelPackage, string[] packages, IReadOnlyList<string> versions, TextWriter? progress)
    {
        string debs = Path.Combine(work, "debs"), kernel = Path.Combine(work, "kernel"), rootfs = Path.Combine(work, "rootfs");
        Directory.CreateDirectory(debs);
        progress?.WriteLine($"dlpar: apt-get download of {packages.Length} {Architecture} packages");
        string[] pinned = [.. versions.Select(v => v.Replace("=", $":{Architecture}=", StringComparison.Ordinal))];
        HostCommand.Require("apt-get", debs, "downloading the guest's packages", ["download", "-qq", .. pinned]);
        foreach (string deb in Directory.EnumerateFiles(debs, "*.deb").Order(StringComparer.Ordinal))
        {
            bool isKernel = Path.GetFileName(deb).StartsWith(kernelPackage + "_", StringComparison.Ordinal);
            HostCommand.Require("dpkg-deb", null, "extracting " + Path.GetFileName(deb), "-x", deb, isKernel ? kernel : rootfs);
        }

        string release = Directory.EnumerateDirectories(Path.Combine(kernel, "lib", "modules")).Select(Path.GetFileName).OfType<string>().Single();
        File.Copy(Path.Combine(kernel, "boot", "vmlinux-" + release), Path.Combine(work, GuestImage.KernelFile));
        FillRoot(rootfs, Path.Combine(kernel, "lib", "modules", release), release);
        BuildHelper(work, Path.Combine(rootfs, HelperPath));

        progress?.WriteLine("dlpar: writing the initramfs");
        using (FileStream file = File.Create(Path.Combine(work, GuestImage.InitrdFile)))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            CpioArchive.Write(rootfs, gzip);
        }

        File.WriteAllText(Path.Combine(work, GuestImage.ReleaseFile), release + "\n");
        File.WriteAllLines(Path.Combine(work, GuestImage.PackagesFile), versions);
        foreach (string scratch in (string[])[debs, kernel, rootfs])
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void FillRoot(string rootfs, string modules, string release)
    {
        foreach (string unused in (string[])["usr/share/doc", "usr/share/man", "usr/share/locale", "usr/share/info", "usr/lib/debug", "boot",
            "lib/modules", "usr/share/lintian", "usr/share/bug", "usr/lib/powerpc64le-linux-gnu/gconv"])
        {
            string path = Path.Combine(rootfs, unused);
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
            {
                Directory.Delete(path, recursive: true);
            }
        }

        string moduleRoot = Path.Combine(rootfs, "usr", "lib", "modules", release);
        if (!Directory.Exists(Path.Combine(rootfs, "lib")) || new DirectoryInfo(Path.Combine(rootfs, "lib")).LinkTarget is null)
        {
            moduleRoot = Path.Combine(rootfs, "lib", "modules", release);
        }

        var dependencies = new StringBuilder();
        foreach ((string module, string[] needs) in Modules)
        {
            string target = Path.Combine(moduleRoot, module);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(modules, module), target);
            dependencies.Append(CultureInfo.InvariantCulture, $"{module}:{string.Concat(needs.Select(n => " " + n))}\n");
        }

        File.WriteAllText(Path.Combine(moduleRoot, "modules.dep"), dependencies.ToString());
        foreach (string directory in (string[])["proc", "sys", "dev", "tmp", "run", "var/lock", "var/log", "var/lib/servicelog", "etc", "root", "bin",
            "sbin", "usr/bin", "usr/sbin"])
        {
            Directory.CreateDirectory(Path.Combine(rootfs, directory));
        }

        if (!File.Exists(Path.Combine(rootfs, "bin", "sh")))
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "sh"), "busybox");
        }

        File.WriteAllText(Path.Combine(rootfs, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(rootfs, "etc", "group"), "root:x:0:\n");
        string init = Path.Combine(rootfs, "init");
        File.WriteAllText(init, Resource("guest-init.sh"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(init, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>Compiles the helper: static, so it needs nothing of the guest's userland.</summary>
    private static void BuildHelper(string work, string target)
    {
        string source = Path.Combine(work, "dlpar-guest-helper.c");
        File.WriteAllText(source, Resource("dlpar-guest-helper.c"));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        HostCommand.Require(HelperCompiler, work, "building the guest's helper", "-static", "-O2", "-s", "-Wall", "-Werror", "-pthread", "-o", target, source);
        File.Delete(source);
    }

    private static string Resource(string name)
    {
        using Stream stream = typeof(GuestImageBuilder).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
