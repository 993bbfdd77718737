using DlparAgent.Cli.Infrastructure;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Kernel;
using DlparAgent.Linux.Rtas;

namespace DlparAgent.Cli.Platform;

/// <summary>
/// This partition's firmware and kernel: the rtas syscall (opened on first use, so that listings
/// that need only the kernel work anywhere) and the kernel's files below the root
/// (<c>DLPAR_LINUX_ROOT</c>, default <c>/</c>). The journal is <c>/var/lib/dlpar-agent/journal</c>.
/// </summary>
internal sealed class LinuxSession : IPartitionSession
{
    public const string RootVariable = "DLPAR_LINUX_ROOT";

    private readonly ILinuxNative _native;
    private SysRtas? _rtas;

    private LinuxSession(LinuxPaths paths, ILinuxNative native)
    {
        Paths = paths;
        _native = native;
        LinuxKernel = new LinuxKernel(paths, native);
    }

    public LinuxPaths Paths { get; }

    public LinuxKernel LinuxKernel { get; }

    public IRtas Rtas => _rtas ??= new SysRtas(Paths, _native);

    public IGuestKernel Kernel => LinuxKernel;

    public string JournalPath => Paths.Resolve("/var/lib/dlpar-agent/journal");

    public bool CanDryRun => false;

    public static LinuxSession Open(Func<string, string?> environment)
    {
        LinuxAbi abi = LinuxAbi.Current
            ?? throw new LinuxBackendException(LinuxProblem.NoSyscall, $"the Linux backend has no ABI table for {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}");
        return new LinuxSession(new LinuxPaths(environment(RootVariable) ?? "/"), new LibcNative(abi));
    }

    public void Prepare()
    {
    }

    public void Save()
    {
    }

    public void Dispose() => _rtas?.Dispose();
}
