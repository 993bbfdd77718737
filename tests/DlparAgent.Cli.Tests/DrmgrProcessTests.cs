using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using static DlparAgent.Cli.Tests.ProcessRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// drmgr and lsslot as separate processes, the way RSCT and rtas_errd start them: names from argv[0],
/// the DR lock between processes, the log, rotation and the syslog line.
/// </summary>
public sealed class DrmgrProcessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dlpar-process-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _environment;

    public DrmgrProcessTests()
    {
        Directory.CreateDirectory(_root);
        _environment = new() { ["DLPAR_STATE_DIR"] = State, ["DLPAR_SYSLOG_SOCKET"] = string.Empty };
        File.CreateSymbolicLink(Path.Combine(_root, "drmgr"), Binary);
        File.CreateSymbolicLink(Path.Combine(_root, "lsslot"), Binary);
        Dlpar("platform", "init");
    }

    private string State => Path.Combine(_root, "machine");

    private string Drmgr => Path.Combine(_root, "drmgr");

    private string Lsslot => Path.Combine(_root, "lsslot");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Dlpar(params string[] args) => Assert.Equal(0, Run(Binary, _environment, args).ExitCode);

    [Fact]
    public void The_names_drmgr_and_lsslot_select_the_personalities()
    {
        Dlpar("platform", "assign", "memory", "--size", "1G");

        Assert.Equal((0, "DR_TOTAL_RESOURCES=4\n", "Validating Memory DLPAR capability...yes.\n"),
            Run(Drmgr, _environment, "-c", "mem", "-a", "-q", "4", "-w", "5", "-d", "1"));
        var (code, output, _) = Run(Lsslot, _environment, "-c", "mem");
        Assert.Equal(0, code);
        Assert.Contains("LMB 11:\n    DRC Index: 8000000b", output, StringComparison.Ordinal);
        Assert.StartsWith("cpu_dlpar=yes,mem_dlpar=yes,", Run(Drmgr, _environment, "-C").Out, StringComparison.Ordinal);
        Assert.Equal(255, Run(Drmgr, _environment, "-c", "mem", "-a", "-x").ExitCode);
    }

    [Fact]
    public void A_log_that_cannot_be_written_is_reported_once_and_the_operation_goes_on()
    {
        Dlpar("platform", "assign", "memory", "--size", "1G");
        var environment = new Dictionary<string, string>(_environment) { ["DLPAR_DRMGR_LOG"] = "/dev/full" };

        var (code, output, error) = Run(Drmgr, environment, "-c", "mem", "-a", "-q", "2");

        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), (code, output));
        Assert.Equal("drmgr: cannot write the log: /dev/full: No space left on device; going on without it\n" +
            "Validating Memory DLPAR capability...yes.\n", error);
    }

    [Fact]
    public void The_hmc_removes_a_virtual_slot_by_location_code()
    {
        var environment = new Dictionary<string, string>(_environment) { ["DLPAR_STATE_DIR"] = Path.Combine(_root, "powervm") };
        Assert.Equal(0, Run(Binary, environment, "platform", "init", "--profile", "powervm").ExitCode);

        Assert.Equal((0, string.Empty, "Validating I/O DLPAR capability...yes.\n"),
            Run(Drmgr, environment, "-r", "-c", "slot", "-s", "U8233.E8B.1000C9P-V1-C2", "-w", "5", "-d", "1"));
        Assert.StartsWith("U8233.E8B.1000C9P-V1-C2:Virtual I/O Slot:?:Empty\n", Run(Lsslot, environment, "-F", ":").Out, StringComparison.Ordinal);
        Assert.Equal(4, Run(Drmgr, environment, "-r", "-c", "slot", "-s", "U8233.E8B.1000C9P-V1-C2", "-w", "5", "-d", "1").ExitCode);
        Assert.Equal(4, Run(Drmgr, environment, "-c", "slot", "-Q", "-s", "U8233.E8B.1000C9P-V1-C2").ExitCode);
    }

    [Fact]
    public void A_second_drmgr_waits_for_the_lock_and_then_runs()
    {
        Dlpar("platform", "assign", "memory", "--size", "1G");
        Directory.CreateDirectory(State);
        var stopwatch = Stopwatch.StartNew();
        (int, string, string) result;
        using (var holder = new FileStream(Path.Combine(State, "dr_config_lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            holder.Lock(0, 1);
            using Process waiting = Start(Drmgr, _environment, "-c", "mem", "-a", "-q", "2", "-w", "5");
            Thread.Sleep(1500);
            Assert.False(waiting.HasExited);
            holder.Unlock(0, 1);
            result = Finish(waiting);
        }

        var (code, output, error) = result;
        Assert.Equal((0, "DR_TOTAL_RESOURCES=2\n"), (code, output));
        Assert.StartsWith("Waiting for the Dynamic Reconfiguration lock", error, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public void A_lock_held_past_the_wait_limit_is_a_clear_failure()
    {
        Dlpar("platform", "assign", "memory", "--size", "1G");
        string hooks = Path.Combine(State, "drmgr.d", "mem");
        Directory.CreateDirectory(hooks);
        string started = Path.Combine(_root, "hook-started");
        File.WriteAllText(Path.Combine(hooks, "1-slow"), $"#!/bin/sh\ntouch {started}\nsleep 3\n");
        File.SetUnixFileMode(Path.Combine(hooks, "1-slow"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // A real drmgr holds the lock while its pre hook sleeps.
        using Process holder = Start(Drmgr, _environment, "-c", "mem", "-a", "-q", "1");
        var waited = Stopwatch.StartNew();
        while (!File.Exists(started) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(20);
        }

        var notices = new StringWriter();
        var error = Assert.Throws<DlparAgent.Linux.Locking.DrLockException>(() => DlparAgent.Linux.Locking.DrLock.Acquire(
            DlparAgent.Hosting.LinuxBackend.HostNative(), Path.Combine(State,
            "dr_config_lock"), TimeSpan.FromMilliseconds(300), notices));

        Assert.Equal("Unable to obtain Dynamic Reconfiguration lock. Please try command again later.", error.Message);
        Assert.StartsWith("Waiting for the Dynamic Reconfiguration lock", notices.ToString(), StringComparison.Ordinal);
        Assert.Equal((0, "DR_TOTAL_RESOURCES=1\n"), Finish(holder) is var (code, output, _) ? (code, output) : default);
    }

    [Fact]
    public void Concurrent_drmgr_runs_serialize_and_log_whole_sessions()
    {
        Dlpar("platform", "assign", "memory", "--size", "1G");

        Process[] runs = [.. Enumerable.Range(0, 4).Select(_ => Start(Drmgr, _environment, "-c", "mem", "-a", "-q", "1", "-w", "5", "-d", "1"))];
        var results = runs.Select(Finish).ToList();
        foreach (Process run in runs)
        {
            run.Dispose();
        }

        Assert.All(results, r => Assert.Equal((0, "DR_TOTAL_RESOURCES=1\n"), (r.ExitCode, r.Out)));
        string log = File.ReadAllText(Path.Combine(State, "drmgr.log"));
        string[] lines = log.Split('\n');
        Assert.Equal(4, lines.Count(l => l == "drmgr: -c mem -a -q 1 -w 5 -d 1 "));
        // Each session is separator, argument line, any lock wait, its outcome, separator: never interleaved.
        var outcomes = lines.Where(l => l.StartsWith("0x8000", StringComparison.Ordinal)).ToList();
        Assert.Equal(["0x80000008 LMB 8: done", "0x80000009 LMB 9: done", "0x8000000a LMB 10: done", "0x8000000b LMB 11: done"], outcomes.Order());
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("drmgr: ", StringComparison.Ordinal))
            {
                int next = lines[i + 1].StartsWith("Waiting for the Dynamic Reconfiguration lock", StringComparison.Ordinal) ? i + 2 : i + 1;
                Assert.Equal("Validating Memory DLPAR capability...yes.", lines[next++]);
                Assert.Equal("Initiating kernel DLPAR \"memory add count 1\"", lines[next++]);
                Assert.StartsWith("0x8000", lines[next], StringComparison.Ordinal);
                Assert.StartsWith("##########", lines[next + 1], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_full_log_is_rotated_to_one_generation()
    {
        string log = Path.Combine(State, "drmgr.log");
        File.WriteAllText(log, new string('x', 1 << 20));
        File.WriteAllText(log + ".0", "older generation");

        var (code, _, error) = Run(Drmgr, _environment, "-c", "cpu", "-a", "-q", "1");

        Assert.Equal(1, code);
        Assert.EndsWith("Rotating logs...\n", error, StringComparison.Ordinal);
        Assert.False(File.Exists(log));
        string rotated = File.ReadAllText(log + ".0");
        Assert.StartsWith("xxxx", rotated, StringComparison.Ordinal);
        Assert.Contains("drmgr: -c cpu -a -q 1 \n", rotated, StringComparison.Ordinal);

        Assert.Equal(1, Run(Drmgr, _environment, "-c", "cpu", "-a", "-q", "1").ExitCode);
        Assert.True(new FileInfo(log).Length < 4096);
    }

    [Fact]
    public void Each_operation_sends_one_syslog_line()
    {
        string socketPath = Path.Combine(_root, "log.sock");
        using var syslog = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        syslog.Bind(new UnixDomainSocketEndPoint(socketPath));
        var environment = new Dictionary<string, string>(_environment) { ["DLPAR_SYSLOG_SOCKET"] = socketPath };

        Assert.Equal(255, Run(Drmgr, environment, "-c", "mem", "-a", "-q", "4", "-w", "5", "-d", "1").ExitCode);

        var buffer = new byte[512];
        syslog.ReceiveTimeout = 5000;
        int length = syslog.Receive(buffer);
        Assert.Equal("<134>drmgr: drmgr: -c mem -a -q 4 -w 5 -d 1 ", Encoding.UTF8.GetString(buffer, 0, length));
    }
}
