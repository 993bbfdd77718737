using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace DlparAgent.Qemu.Guest;

/// <summary>
/// The real Linux guest running under <c>qemu-system-ppc64 -M pseries</c> (TCG): its console
/// (hvc0, the command channel), a second console (hvc1, for the in-guest helper) and QMP for the
/// HMC's side (plug and unplug). Owned: QEMU stops when this object is disposed.
/// </summary>
public sealed class GuestMachine : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private readonly string _directory;
    private readonly Socket _helperSocket;
    private bool _disposed;

    private GuestMachine(Process process, StringBuilder stderr, string directory, GuestConsole console, Socket helperSocket, QmpClient qmp, string ready,
        TimeSpan bootTime)
    {
        _process = process;
        _stderr = stderr;
        _directory = directory;
        _helperSocket = helperSocket;
        Console = console;
        Qmp = qmp;
        Management = new QemuManagement(qmp);
        string[] words = ready.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        KernelRelease = words.Length > 1 ? words[1] : string.Empty;
        BootTime = bootTime;
    }

    public GuestConsole Console { get; }

    public QmpClient Qmp { get; }

    public QemuManagement Management { get; }

    /// <summary>The running kernel's <c>uname -r</c>, as <c>/init</c> reported it.</summary>
    public string KernelRelease { get; }

    /// <summary>From starting QEMU to <c>/init</c>'s ready line.</summary>
    public TimeSpan BootTime { get; }

    /// <summary>The host end of hvc1, the helper's channel.</summary>
    public Socket HelperChannel => _helperSocket;

    /// <summary>True while QEMU runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Boots the image and waits until the guest's <c>/init</c> takes commands.</summary>
    public static GuestMachine Boot(GuestImage image, GuestMachineOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        string executable = QemuBinary.Require(environment);
        string directory = Directory.CreateTempSubdirectory("dlpar-guest-").FullName;
        string consolePath = Path.Combine(directory, "console.sock"), helperPath = Path.Combine(directory, "helper.sock");
        string qmpPath = Path.Combine(directory, "qmp.sock");
        using Socket consoleListener = QemuMachine.Listen(consolePath);
        using Socket helperListener = QemuMachine.Listen(helperPath);
        using Socket qmpListener = QemuMachine.Listen(qmpPath);
        var started = Stopwatch.StartNew();
        (Process process, StringBuilder stderr) = QemuMachine.StartCapturing(executable, options.Arguments(image, consolePath, helperPath, qmpPath), directory);
        var sockets = new List<Socket>();
        try
        {
            // QEMU connects the chardevs in the order of its command line, then QMP.
            Socket consoleSocket = QemuMachine.Accept(consoleListener, process, stderr, "console");
            sockets.Add(consoleSocket);
            Socket helperSocket = QemuMachine.Accept(helperListener, process, stderr, "helper channel");
            sockets.Add(helperSocket);
            Socket qmpSocket = QemuMachine.Accept(qmpListener, process, stderr, "QMP");
            sockets.Add(qmpSocket);
            var qmp = new QmpClient(new LineChannel(qmpSocket, "QMP", ReplyTimeout));
            var console = new GuestConsole(new LineChannel(consoleSocket, "guest console", ReplyTimeout));
            string ready = console.WaitReady(options.BootTimeout);
            return new GuestMachine(process, stderr, directory, console, helperSocket, qmp, ready, started.Elapsed);
        }
        catch (Exception error)
        {
            bool exited = process.WaitForExit(TimeSpan.FromMilliseconds(500));
            sockets.ForEach(s => s.Dispose());
            QemuMachine.Kill(process);
            string said;
            lock (stderr)
            {
                said = stderr.ToString();
            }

            int? status = exited ? process.ExitCode : null;
            process.Dispose();
            Directory.Delete(directory, recursive: true);
            if (status is { } code && error is QemuException)
            {
                throw new QemuException(QemuProblem.Died, $"QEMU exited with status {code} while the guest booted: {QemuMachine.LastLines(said)}", error);
            }

            throw;
        }
    }

    /// <summary>What QEMU wrote on stderr so far.</summary>
    public string StandardError()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }

    /// <summary>Runs a command in the guest; see <see cref="GuestConsole.Run"/>.</summary>
    public GuestCommandResult Run(string command, TimeSpan? timeout = null) => Console.Run(command, timeout);

    /// <summary>The kernel messages since the last call (<c>dmesg -c</c>).</summary>
    public string TakeKernelMessages() => Console.Run("dmesg -c").Out;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            Qmp.Execute("quit");
        }
        catch (QemuException)
        {
            // Already gone, or closing while answering.
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            QemuMachine.Kill(_process);
        }

        _process.Dispose();
        Console.Dispose();
        Qmp.Dispose();
        _helperSocket.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"guest {KernelRelease} (booted in {BootTime.TotalSeconds:0.0} s)");
}
