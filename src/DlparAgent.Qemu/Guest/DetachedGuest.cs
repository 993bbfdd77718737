using System.Diagnostics;
using System.Globalization;

namespace DlparAgent.Qemu.Guest;

/// <summary>
/// A real-Linux guest running detached from any dlpar process, serving its console, helper and QMP
/// sockets in a directory: <c>dlpar platform guest start</c> boots it, every <c>--platform guest:DIR</c>
/// command connects to its helper, <c>dlpar platform guest run|plug|stop</c> to its console and QMP.
/// </summary>
public static class DetachedGuest
{
    public const string ConsoleSocket = "console.sock";
    public const string HelperSocket = "helper.sock";
    public const string QmpSocket = "qmp.sock";
    public const string PidFile = QemuMachine.PidFile;
    public const string ReadyFile = "ready";
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(60);

    public static string HelperSocketOf(string directory) => Path.Combine(directory, HelperSocket);

    /// <summary>Boots the image detached (<c>-daemonize</c>) and waits until its <c>/init</c> takes commands; returns QEMU's pid.</summary>
    public static int Start(GuestImage image, GuestMachineOptions options, string directory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        if (Pid(directory) is { } running)
        {
            throw new QemuException(QemuProblem.Refused, $"a guest already runs for {directory} (pid {running}); stop it first: dlpar platform guest stop");
        }

        string executable = QemuBinary.Require(environment);
        Directory.CreateDirectory(directory);
        foreach (string leftover in (string[])[PidFile, ReadyFile, ConsoleSocket, HelperSocket, QmpSocket])
        {
            File.Delete(Path.Combine(directory, leftover));
        }

        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] arguments = [.. options.Arguments(image, Path.Combine(directory, ConsoleSocket), HelperSocketOf(directory), Path.Combine(directory, QmpSocket),
            serve: true), "-daemonize", "-pidfile", Path.Combine(directory, PidFile)];
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var started = Stopwatch.StartNew();
        using (Process launcher = Process.Start(start) ?? throw new QemuException(QemuProblem.Died, $"{executable} did not start"))
        {
            string errors = launcher.StandardError.ReadToEnd();
            launcher.WaitForExit();
            if (launcher.ExitCode != 0 || !File.Exists(Path.Combine(directory, PidFile)))
            {
                throw new QemuException(QemuProblem.Died, $"QEMU did not start the guest (exit {launcher.ExitCode}): {QemuMachine.LastLines(errors)}");
            }
        }

        int pid = int.Parse(File.ReadAllText(Path.Combine(directory, PidFile)).Trim(), CultureInfo.InvariantCulture);
        try
        {
            // SLOF takes seconds before the kernel prints: the console is connected long before /init's ready line.
            using var console = new GuestConsole(new LineChannel(QemuMachine.Connect(Path.Combine(directory, ConsoleSocket), "guest console"), "guest console",
                ReplyTimeout));
            string ready = console.WaitReady(options.BootTimeout);
            File.WriteAllText(Path.Combine(directory, ReadyFile), string.Create(CultureInfo.InvariantCulture,
                $"{ready}\nboot-seconds {started.Elapsed.TotalSeconds:0.00}\n"));
        }
        catch
        {
            Stop(directory);
            throw;
        }

        return pid;
    }

    /// <summary>The running guest's kernel release, from its ready line; null when unknown.</summary>
    public static string? KernelRelease(string directory) => ReadyLines(directory).FirstOrDefault()?.Split(' ') is [_, var release, ..] ? release : null;

    /// <summary>Seconds from starting QEMU to the guest's ready line; null when unknown.</summary>
    public static double? BootSeconds(string directory) =>
        ReadyLines(directory).FirstOrDefault(l => l.StartsWith("boot-seconds ", StringComparison.Ordinal)) is { } line
        && double.TryParse(line["boot-seconds ".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? seconds : null;

    /// <summary>The guest's console and QMP, for commands and the HMC's plug and unplug.</summary>
    public static (GuestConsole Console, QmpClient Qmp) Attach(string directory)
    {
        if (Pid(directory) is null)
        {
            throw new QemuException(QemuProblem.NotRunning,
                $"no real-Linux guest runs for {directory} (start one with: dlpar platform guest start --dir {directory})");
        }

        var console = new GuestConsole(new LineChannel(QemuMachine.Connect(Path.Combine(directory, ConsoleSocket), "guest console"), "guest console",
            ReplyTimeout));
        try
        {
            return (console, new QmpClient(new LineChannel(QemuMachine.Connect(Path.Combine(directory, QmpSocket), "QMP"), "QMP", ReplyTimeout)));
        }
        catch
        {
            console.Dispose();
            throw;
        }
    }

    /// <summary>The pid of the guest's QEMU while it runs; null when none runs for the directory.</summary>
    public static int? Pid(string directory) => QemuMachine.DetachedPid(directory);

    /// <summary>Stops the guest's QEMU (QMP quit, then a kill) and removes its sockets; true when one ran.</summary>
    public static bool Stop(string directory)
    {
        int? pid = Pid(directory);
        if (pid is { } running)
        {
            try
            {
                using var qmp = new QmpClient(new LineChannel(QemuMachine.Connect(Path.Combine(directory, QmpSocket), "QMP"), "QMP", TimeSpan.FromSeconds(5)));
                qmp.Execute("quit");
            }
            catch (QemuException)
            {
                // Not answering: killed below.
            }

            try
            {
                using Process process = Process.GetProcessById(running);
                if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    QemuMachine.Kill(process);
                }
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }

        foreach (string leftover in (string[])[PidFile, ReadyFile, ConsoleSocket, HelperSocket, QmpSocket])
        {
            File.Delete(Path.Combine(directory, leftover));
        }

        return pid is not null;
    }

    private static string[] ReadyLines(string directory) =>
        File.Exists(Path.Combine(directory, ReadyFile)) ? File.ReadAllLines(Path.Combine(directory, ReadyFile)) : [];
}
