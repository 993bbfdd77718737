using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux;
using DlparAgent.Linux.Diagnostics;
using DlparAgent.Linux.Events;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Kernel;
using DlparAgent.Linux.Rtas;

namespace DlparAgent.Hosting;

/// <summary>
/// This partition's firmware and kernel: the rtas syscall (opened on first use, so that listings
/// that need only the kernel work anywhere) and the kernel's files below the root
/// (<c>DLPAR_LINUX_ROOT</c>, default <c>/</c>).
/// </summary>
public sealed class LinuxBackend : IBackend
{
    private readonly ILinuxNative _native;
    private SysRtas? _rtas;

    private LinuxBackend(LinuxPaths paths, ILinuxNative native, LinuxKernelOptions? options = null)
    {
        Paths = paths;
        _native = native;
        LinuxKernel = new LinuxKernel(paths, native, options);
    }

    public LinuxPaths Paths { get; }

    public LinuxKernel LinuxKernel { get; }

    public IRtas Rtas => _rtas ??= new SysRtas(Paths, _native);

    public IGuestKernel Kernel => LinuxKernel;

    public bool CanDryRun => false;

    public static LinuxBackend Open(LinuxPaths paths, LinuxKernelOptions? options = null) => new(paths, Native(), options);

    /// <summary>The backend over another system's calls (the real-Linux test guest's helper); <paramref name="native"/> stays the caller's.</summary>
    public static LinuxBackend Open(LinuxPaths paths, ILinuxNative native, LinuxKernelOptions? options = null) => new(paths, native, options);

    /// <summary>
    /// This machine's system calls for what every platform needs (the DR lock file): with the x86-64
    /// table on an architecture that has none, whose open and fcntl numbers are the generic ones.
    /// </summary>
    public static ILinuxNative HostNative() => new LibcNative(LinuxAbi.Current ?? LinuxAbi.X64);

    /// <summary>
    /// <c>dlpar doctor</c> for the partition below <paramref name="paths"/>: it runs anywhere, so on an
    /// architecture without an ABI table it examines with the x86-64 one and reports the architecture.
    /// </summary>
    public static Doctor OpenDoctor(LinuxPaths paths) => new(paths, new LibcNative(LinuxAbi.Current ?? LinuxAbi.X64));

    /// <exception cref="LinuxBackendException">The architecture has no ABI table (no rtas syscall).</exception>
    private static LibcNative Native() => new LibcNative(LinuxAbi.Current
        ?? throw new LinuxBackendException(LinuxProblem.NoSyscall,
            $"the Linux backend has no ABI table for {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}"));

    /// <summary>The rtasd error log (<c>/proc/powerpc/rtas/error_log</c>) of this partition, for dlpard.</summary>
    public RtasErrorLog OpenErrorLog() => RtasErrorLog.Open(Paths, _native);

    public bool CatchUp() => false;

    public void Save()
    {
    }

    public void Dispose() => _rtas?.Dispose();
}
