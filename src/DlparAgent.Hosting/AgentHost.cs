using DlparAgent.Core.Engine;
using DlparAgent.Core.Tracing;
using DlparAgent.Linux;
using DlparAgent.Linux.Diagnostics;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Interop.Remote;
using DlparAgent.Linux.Kernel;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Hosting;

/// <summary>
/// The composition root every front end (dlpar, drmgr, lsslot, dlpard) goes through: it reads the
/// platform choice and the environment once, knows the DR lock, journal, log and hook paths of
/// that platform, opens its backend, and builds engines that take the DR lock themselves.
/// Front ends parse arguments and format results; nothing else reads a path or a variable.
/// </summary>
public sealed class AgentHost : IDisposable
{
    private readonly Lazy<ILinuxNative> _system;

    private AgentHost(PlatformSelection selection, AgentEnvironment environment, string stateDirectory, TextWriter notices)
    {
        Selection = selection;
        Environment = environment;
        StateDirectory = stateDirectory;
        string machineDirectory = selection.Kind == PlatformKind.Qemu ? QemuBackend.DirectoryOf(QemuStateDirectory) : stateDirectory;
        if (selection.Kind == PlatformKind.Guest)
        {
            // The guest's own root: its paths are the guest's, reached through its helper.
            LinuxPaths = new LinuxPaths("/");
            Paths = AgentPaths.ForGuest(GuestDirectory, environment);
        }
        else
        {
            LinuxPaths = new LinuxPaths(environment.LinuxRoot);
            Paths = selection.Kind == PlatformKind.Linux
                ? AgentPaths.ForSystem(LinuxPaths.Resolve, environment)
                : AgentPaths.ForStateDirectory(selection.Kind == PlatformKind.Qemu ? QemuStateDirectory : stateDirectory, machineDirectory, environment);
        }

        _system = new Lazy<ILinuxNative>(() => selection.Kind == PlatformKind.Guest ? GuestBackend.Connect(GuestDirectory) : LinuxBackend.HostNative());
        DrLock = new ReentrantDrLock(() => _system.Value, Paths.DrLockFile, notices);
    }

    public PlatformSelection Selection { get; }

    public AgentEnvironment Environment { get; }

    /// <summary>The emulated machine's directory (the option, else the environment's default).</summary>
    public string StateDirectory { get; }

    /// <summary>The state directory a QEMU machine runs for (<c>qemu:DIR</c>, else the state directory).</summary>
    public string QemuStateDirectory => Selection.QemuDirectory ?? StateDirectory;

    public LinuxPaths LinuxPaths { get; }

    /// <summary>The real-Linux guest's directory (<c>guest:DIR</c>, else the state directory's <c>guest/</c>).</summary>
    public string GuestDirectory => Selection.GuestDirectory ?? DefaultGuestDirectory(StateDirectory);

    public AgentPaths Paths { get; }

    /// <summary>The platform's DR lock, reentrant within this process; the engine takes it for every operation.</summary>
    public ReentrantDrLock DrLock { get; }

    /// <summary>
    /// Resolves the platform for <paramref name="program"/>; <paramref name="notices"/> hears that the
    /// DR lock is being waited for.
    /// </summary>
    /// <exception cref="HostingException">An unknown platform was asked for.</exception>
    public static AgentHost Resolve(string program, string? platform, string? stateDirectory, AgentEnvironment environment, TextWriter notices)
    {
        ArgumentNullException.ThrowIfNull(environment);
        PlatformSelection selection = PlatformSelection.Resolve(platform, stateDirectory, environment, program);
        return new AgentHost(selection, environment, environment.StateDirectoryFor(stateDirectory), notices);
    }

    /// <summary>Says on <paramref name="error"/> which platform was chosen when the choice was made for the user.</summary>
    public void Announce(TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (Selection.Notice is not null)
        {
            error.WriteLine(Selection.Notice);
        }
    }

    /// <summary>Opens the chosen partition. Take the DR lock first where the command changes it: the lock comes before the machine.</summary>
    public IBackend OpenBackend() => Selection.Kind switch
    {
        PlatformKind.Linux => LinuxBackend.Open(LinuxPaths, KernelOptions()),
        PlatformKind.Guest => LinuxBackend.Open(LinuxPaths, _system.Value, KernelOptions()),
        PlatformKind.Qemu => QemuBackend.Open(QemuStateDirectory),
        _ => new EmulatedBackend(MachineLease.Open(StateDirectory)),
    };

    private LinuxKernelOptions KernelOptions() => new() { KernelDlpar = Environment.KernelDlpar == "none" ? string.Empty : Environment.KernelDlpar };

    /// <summary>The journal operations on this platform record their progress in.</summary>
    public IJournal OpenJournal() => new FileJournal(Paths.Journal);

    /// <summary>
    /// An engine on <paramref name="backend"/> with this platform's DR lock and journal
    /// (<paramref name="journal"/> replaces it for a dry run); a <paramref name="trace"/> records
    /// every firmware call and kernel write. A traced engine is a dry run on a copy: it takes no
    /// lock and creates no file. <paramref name="kernelWrites"/> watches the kernel writes of a real
    /// run (drmgr logs its kernel requests as upstream does).
    /// </summary>
    public DlparEngine CreateEngine(IBackend backend, EngineOptions options, ILogger? logger = null, OperationTrace? trace = null, IJournal? journal = null,
        OperationTrace? kernelWrites = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        journal ??= OpenJournal();
        if (trace is null && backend is EmulatedBackend && Environment.EmulatedDurable)
        {
            journal = new CheckpointingJournal(journal, backend.Save);
        }

        return trace is null
            ? new DlparEngine(backend.Rtas, kernelWrites is null ? backend.Kernel : new TracingKernel(backend.Kernel, kernelWrites), journal, options,
                logger, DrLock)
            : new DlparEngine(new TracingRtas(backend.Rtas, trace), new TracingKernel(backend.Kernel, trace), journal, options, logger);
    }

    /// <summary>
    /// <c>dlpar doctor</c>: what the partition below the Linux root offers, or what the real-Linux
    /// guest offers on the guest platform (examined through its helper).
    /// </summary>
    public Doctor OpenDoctor() => Selection.Kind == PlatformKind.Guest ? new Doctor(LinuxPaths, _system.Value) : LinuxBackend.OpenDoctor(LinuxPaths);

    /// <summary>The system calls of the platform's system: this machine's, or the guest's through its helper (one connection per host).</summary>
    public ILinuxNative SystemCalls() => _system.Value;

    /// <summary>Where <c>dlpar platform guest start</c> runs a guest by default: <c>guest/</c> in the state directory.</summary>
    public static string DefaultGuestDirectory(string stateDirectory) => Path.Combine(stateDirectory, "guest");

    /// <summary>Closes the connection to a guest's helper, if one was opened.</summary>
    public void Dispose()
    {
        if (_system.IsValueCreated && _system.Value is IDisposable connection)
        {
            if (_system.Value is RemoteNative remote && Environment.GuestCallLog is { } log)
            {
                File.AppendAllText(log, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"calls {remote.Helper.TotalCalls} seconds {remote.Helper.Waited.TotalSeconds:0.0000}\n"));
            }

            connection.Dispose();
        }
    }
}
