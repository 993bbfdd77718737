using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace DlparAgent.Service.Tests;

/// <summary>
/// Type=notify for real: dlpard runs as PID 1 of a new PID namespace with NOTIFY_SOCKET set (how
/// the hosting layer recognises systemd) and the test listens on that socket. Needs root and
/// unshare; skipped otherwise.
/// </summary>
public sealed class SystemdNotifyTests
{
    [RootFact]
    public void Ready_status_and_stopping_reach_the_notify_socket()
    {
        using var machine = new Machine();
        string socketPath = Path.Combine(machine.StateDirectory, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        socket.ReceiveTimeout = 15_000;

        var start = new ProcessStartInfo("/usr/bin/unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["--fork", "--pid", "--mount-proc", "--kill-child", Path.Combine(AppContext.BaseDirectory, "dlpard"), "--platform",
            "emulated", "--state-dir", machine.StateDirectory])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NOTIFY_SOCKET"] = socketPath;
        using Process daemon = Process.Start(start)!;
        try
        {
            var messages = new List<string>();
            string Next()
            {
                byte[] buffer = new byte[4096];
                int read = socket.Receive(buffer);
                string message = Encoding.UTF8.GetString(buffer, 0, read);
                messages.Add(message);
                return message;
            }

            while (!messages.Contains("READY=1"))
            {
                Next();
            }

            machine.Change(p => p.Platform.Management.PlugPci(0, 3, 0, null, null, Emulation.Devices.DeviceOrigin.Hotplug));
            while (!messages.Any(m => m.StartsWith("STATUS=1 events handled", StringComparison.Ordinal)))
            {
                Next();
            }

            Assert.Contains("STATUS=1 events handled; last: done 1 of 1 done", messages);
            // unshare does not forward signals: SIGTERM goes to its child, dlpard, as systemd would send it.
            string child = File.ReadAllText($"/proc/{daemon.Id}/task/{daemon.Id}/children").Trim().Split(' ')[0];
            using (Process kill = Process.Start("kill", ["-TERM", child]))
            {
                kill.WaitForExit();
            }

            while (!messages.Contains("STOPPING=1"))
            {
                Next();
            }

            // Under systemd the log lines carry journald priorities.
            Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(15)));
            string output = daemon.StandardOutput.ReadToEnd();
            Assert.Contains("<6>dlpard[", output, StringComparison.Ordinal);
            Assert.DoesNotContain(" info: ", output, StringComparison.Ordinal);
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill(entireProcessTree: true);
            }
        }
    }
}
