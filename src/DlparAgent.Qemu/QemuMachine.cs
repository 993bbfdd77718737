using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Fdt;

namespace DlparAgent.Qemu;

/// <summary>
/// A running QEMU pseries machine with its qtest and QMP connections. Either owned (started here,
/// connected to sockets this process listens on, stopped on dispose) or attached (a detached QEMU
/// of a state directory serving its sockets, left running on dispose).
/// </summary>
public sealed class QemuMachine : IDisposable
{
    private const string QtestSocket = "qtest.sock";
    private const string QmpSocket = "qmp.sock";
    internal const string PidFile = "qemu.pid";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly Process? _process;
    private readonly StringBuilder _stderr;
    private readonly string? _socketDirectory;
    private bool _disposed;

    private QemuMachine(Process? process, StringBuilder stderr, string? socketDirectory, QtestClient qtest, QmpClient qmp)
    {
        _process = process;
        _stderr = stderr;
        _socketDirectory = socketDirectory;
        Qtest = qtest;
        Qmp = qmp;
        Management = new QemuManagement(qmp);
        Rtas = new QtestRtas(qtest, () => ServicesOf(Management.DumpDeviceTree()));
    }

    public QtestClient Qtest { get; }

    public QmpClient Qmp { get; }

    public QemuManagement Management { get; }

    public QtestRtas Rtas { get; }

    /// <summary>QEMU's version, e.g. <c>7.2.22</c>.</summary>
    public string Version => Qmp.Version;

    /// <summary>Starts QEMU and connects to it; it stops when this object is disposed.</summary>
    public static QemuMachine Launch(QemuMachineOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        string executable = QemuBinary.Require(environment);
        string directory = Directory.CreateTempSubdirectory("dlpar-qemu-").FullName;
        string qtestPath = Path.Combine(directory, QtestSocket);
        string qmpPath = Path.Combine(directory, QmpSocket);
        using Socket qtestListener = Listen(qtestPath);
        using Socket qmpListener = Listen(qmpPath);

        // QEMU connects to both sockets while it initialises, as it does for libqtest.
        (Process process, StringBuilder stderr) = StartCapturing(executable, options.Arguments("unix:" + qtestPath, "path=" + qmpPath), directory);
        Socket? qtestSocket = null;
        Socket? qmpSocket = null;
        try
        {
            qtestSocket = Accept(qtestListener, process, stderr, "qtest");
            qmpSocket = Accept(qmpListener, process, stderr, "QMP");
            var qtest = new QtestClient(new LineChannel(qtestSocket, "qtest", ReplyTimeout));
            var qmp = new QmpClient(new LineChannel(qmpSocket, "QMP", ReplyTimeout));
            return new QemuMachine(process, stderr, directory, qtest, qmp);
        }
        catch
        {
            qtestSocket?.Dispose();
            qmpSocket?.Dispose();
            Kill(process);
            process.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Starts QEMU detached from this process (<c>-daemonize</c>), serving its qtest and QMP
    /// sockets in <paramref name="directory"/>, for later <see cref="Attach"/>es.
    /// </summary>
    public static int StartDetached(QemuMachineOptions options, string directory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        string executable = QemuBinary.Require(environment);
        Directory.CreateDirectory(directory);
        string pidFile = Path.Combine(directory, PidFile);
        File.Delete(pidFile);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        IReadOnlyList<string> arguments = options.Arguments(
            $"unix:{Path.Combine(directory, QtestSocket)},server=on,wait=off",
            $"path={Path.Combine(directory, QmpSocket)},server=on,wait=off");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("-daemonize");
        start.ArgumentList.Add("-pidfile");
        start.ArgumentList.Add(pidFile);
        using Process launcher = Process.Start(start) ?? throw new QemuException(QemuProblem.Died, $"{executable} did not start");
        string errors = launcher.StandardError.ReadToEnd();
        launcher.WaitForExit();
        if (launcher.ExitCode != 0 || !File.Exists(pidFile))
        {
            throw new QemuException(QemuProblem.Died, $"QEMU did not start (exit {launcher.ExitCode}): {LastLines(errors)}");
        }

        return int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Connects to the detached QEMU of <paramref name="directory"/>.</summary>
    public static QemuMachine Attach(string directory)
    {
        string qtestPath = Path.Combine(directory, QtestSocket);
        string qmpPath = Path.Combine(directory, QmpSocket);
        if (!File.Exists(Path.Combine(directory, PidFile)) || !File.Exists(qtestPath))
        {
            throw new QemuException(QemuProblem.NotRunning, $"no QEMU machine runs for {directory} (start one with: dlpar platform qemu start)");
        }

        Socket qtestSocket = Connect(qtestPath, "qtest");
        Socket qmpSocket;
        try
        {
            qmpSocket = Connect(qmpPath, "QMP");
        }
        catch
        {
            qtestSocket.Dispose();
            throw;
        }

        var qtest = new QtestClient(new LineChannel(qtestSocket, "qtest", ReplyTimeout));
        try
        {
            return new QemuMachine(null, new StringBuilder(), null, qtest, new QmpClient(new LineChannel(qmpSocket, "QMP", ReplyTimeout)));
        }
        catch
        {
            qtest.Dispose();
            qmpSocket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts QEMU with its output drained and the first 16 KiB of its stderr kept (for the error
    /// when it dies early); a QEMU that cannot be run removes <paramref name="scratchDirectory"/>.
    /// </summary>
    internal static (Process Process, StringBuilder Stderr) StartCapturing(string executable, IEnumerable<string> arguments, string scratchDirectory)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new QemuException(QemuProblem.Died, $"{executable} did not start");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            Directory.Delete(scratchDirectory, recursive: true);
            throw new QemuException(QemuProblem.NotInstalled, $"{executable} could not be run: {error.Message}", error);
        }

        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, line) =>
        {
            lock (stderr)
            {
                if (line.Data is not null && stderr.Length < 16 * 1024)
                {
                    stderr.AppendLine(line.Data);
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return (process, stderr);
    }

    /// <summary>The pid of the detached QEMU of <paramref name="directory"/> while it runs; null when there is none.</summary>
    public static int? DetachedPid(string directory)
    {
        string pidFile = Path.Combine(directory, PidFile);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return null;
        }

        try
        {
            using Process process = Process.GetProcessById(pid);
            return process.HasExited ? null : pid;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stops the detached QEMU of <paramref name="directory"/> (QMP <c>quit</c>, then a kill if it
    /// lingers) and removes its pid file and sockets; true when one was running.
    /// </summary>
    public static bool StopDetached(string directory)
    {
        int? pid = DetachedPid(directory);
        if (pid is { } running)
        {
            try
            {
                using QemuMachine machine = Attach(directory);
                machine.Quit();
            }
            catch (QemuException)
            {
                // Not answering: it is stopped the hard way below.
            }

            try
            {
                using Process process = Process.GetProcessById(running);
                if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    Kill(process);
                }
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }

        foreach (string leftover in (string[])[PidFile, QtestSocket, QmpSocket])
        {
            File.Delete(Path.Combine(directory, leftover));
        }

        return pid is not null;
    }

    /// <summary>What QEMU wrote on stderr so far (warnings such as TCG capability notes).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>True while an owned QEMU process runs (always true for an attached machine).</summary>
    public bool IsRunning => _process is null || !_process.HasExited;

    /// <summary>Asks QEMU to quit (QMP <c>quit</c>), then waits for it; an owned process that lingers is killed.</summary>
    public void Quit()
    {
        try
        {
            Qmp.Execute("quit");
        }
        catch (QemuException)
        {
            // Already gone, or closing the connection while answering.
        }

        if (_process is not null && !_process.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            Kill(_process);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_process is not null)
        {
            Quit();
            _process.Dispose();
        }

        Qtest.Dispose();
        Qmp.Dispose();
        if (_socketDirectory is not null && Directory.Exists(_socketDirectory))
        {
            Directory.Delete(_socketDirectory, recursive: true);
        }
    }

    /// <summary>The services of <c>/rtas</c>: each is a property holding its token.</summary>
    private static HashSet<string> ServicesOf(byte[] deviceTree)
    {
        DtNode? rtas = FdtReader.Read(deviceTree).Root.Find("/rtas");
        return rtas is null
            ? []
            : [.. rtas.Properties.Where(p => p.Length == 4).Select(p => p.Name)];
    }

    internal static Socket Listen(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(1);
        return socket;
    }

    internal static Socket Connect(string path, string name)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return socket;
        }
        catch (SocketException error)
        {
            socket.Dispose();
            throw new QemuException(QemuProblem.NotRunning,
                $"the QEMU machine's {name} socket {path} does not answer ({error.SocketErrorCode}); it has stopped", error);
        }
    }

    internal static Socket Accept(Socket listener, Process process, StringBuilder stderr, string name)
    {
        DateTime deadline = DateTime.UtcNow + ConnectTimeout;
        while (!listener.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectRead))
        {
            // The accept waits on the socket; the 50 ms slices only notice an early exit of QEMU.
            if (process.HasExited)
            {
                process.WaitForExit();
                string errors;
                lock (stderr)
                {
                    errors = stderr.ToString();
                }

                throw new QemuException(QemuProblem.Died,
                    $"QEMU exited with status {process.ExitCode} before connecting its {name} socket: {LastLines(errors)}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new QemuException(QemuProblem.Timeout, $"QEMU did not connect its {name} socket within {ConnectTimeout.TotalSeconds} s");
            }
        }

        return listener.Accept();
    }

    internal static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // It had exited.
        }
    }

    internal static string LastLines(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(nothing on stderr)" : string.Join(" | ", lines.TakeLast(3));
    }
}
