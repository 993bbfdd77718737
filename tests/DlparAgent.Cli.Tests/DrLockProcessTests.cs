using System.Diagnostics;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Tests.Support;
using static DlparAgent.Cli.Tests.ProcessRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// The DR lock is the engine's on every front end and platform: <c>dlpar add</c>, <c>recover</c> and
/// <c>lsslot</c> wait for a process that holds <c>dr_config_lock</c> (another dlpar, a drmgr, RSCT),
/// on the emulated platform and on the Linux backend alike.
/// </summary>
public sealed class DrLockProcessTests : IDisposable
{
    private static readonly TimeSpan Held = TimeSpan.FromMilliseconds(1500);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "dlpar-drlock-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _environment;

    public DrLockProcessTests()
    {
        Directory.CreateDirectory(_root);
        _environment = new() { ["DLPAR_STATE_DIR"] = State, ["DLPAR_SYSLOG_SOCKET"] = string.Empty };
        Assert.Equal(0, Run(Binary, _environment, "platform", "init").ExitCode);
        Assert.Equal(0, Run(Binary, _environment, "platform", "assign", "memory", "--size", "1G").ExitCode);
    }

    private string State => Path.Combine(_root, "machine");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("add", "memory", "--count", "2")]
    [InlineData("recover")]
    [InlineData("lsslot", "-c", "mem")]
    public void A_command_on_the_emulated_platform_waits_for_a_held_lock(params string[] args)
    {
        var (code, _, error) = WhileHeld(Path.Combine(State, "dr_config_lock"), _environment, args);

        Assert.True(code == 0, error);
        Assert.StartsWith("Waiting for the Dynamic Reconfiguration lock", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Dlpar_add_on_the_linux_backend_waits_for_the_partitions_lock()
    {
        var partition = EmulatedPartition.Create(new MachineProfile { BootCpus = 2 }, KernelFeatures.Modern);
        using var root = new FakeRoot(partition);
        var environment = new Dictionary<string, string> { ["DLPAR_LINUX_ROOT"] = root.Root, ["DLPAR_PLATFORM"] = "linux" };

        var (code, _, error) = WhileHeld(root.Resolve("/var/lock/dr_config_lock"), environment, "add", "cpu", "--count", "1");

        // The lock comes first; only then does the operation find that x86-64 has no rtas syscall.
        Assert.StartsWith("Waiting for the Dynamic Reconfiguration lock", error, StringComparison.Ordinal);
        Assert.Equal(69, code);
    }

    [Fact]
    public void Dlpar_add_waits_for_a_drmgr_holding_the_lock_in_its_hook()
    {
        string hooks = Path.Combine(State, "drmgr.d", "mem");
        Directory.CreateDirectory(hooks);
        string started = Path.Combine(_root, "hook-started");
        string finished = Path.Combine(_root, "hook-finished");
        File.WriteAllText(Path.Combine(hooks, "1-slow"), $"#!/bin/sh\n[ \"$PHASE\" = pre ] || exit 0\ntouch {started}\nsleep 2\ntouch {finished}\n");
        File.SetUnixFileMode(Path.Combine(hooks, "1-slow"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string drmgr = Path.Combine(_root, "drmgr");
        File.CreateSymbolicLink(drmgr, Binary);

        using Process holder = Start(drmgr, _environment, "-c", "mem", "-a", "-q", "1");
        WaitFor(started);
        var (code, output, error) = Run(Binary, _environment, "add", "memory", "--count", "1");

        Assert.True(code == 0, error);
        Assert.True(File.Exists(finished), "dlpar ran while drmgr's pre hook still held the lock");
        Assert.StartsWith("Waiting for the Dynamic Reconfiguration lock", error, StringComparison.Ordinal);
        Assert.Contains("1 of 1", output, StringComparison.Ordinal);
        Assert.Equal((0, "DR_TOTAL_RESOURCES=1\n"), Finish(holder) is var (drmgrCode, drmgrOutput, _) ? (drmgrCode, drmgrOutput) : default);
    }

    [Fact]
    public void Concurrent_dlpar_processes_serialise_and_leave_an_empty_journal()
    {
        Process[] runs;
        using (Hold(Path.Combine(State, "dr_config_lock")))
        {
            runs = [.. Enumerable.Range(0, 3).Select(_ => Start(Binary, _environment, "add", "memory", "--count", "1"))];
            Thread.Sleep(Held);
            Assert.All(runs, run => Assert.False(run.HasExited));
        }

        var results = runs.Select(Finish).ToList();
        foreach (Process run in runs)
        {
            run.Dispose();
        }

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        Assert.All(results, r => Assert.StartsWith("Waiting for the Dynamic Reconfiguration lock", r.Error, StringComparison.Ordinal));
        string journal = Path.Combine(State, "journal");
        Assert.True(!File.Exists(journal) || new FileInfo(journal).Length == 0, "every operation ended and the journal was compacted");
        var (_, list, _) = Run(Binary, _environment, "list", "memory", "--owned");
        Assert.Equal(3, list.Split('\n').Count(line => line.Contains("LMB", StringComparison.Ordinal)));
    }

    /// <summary>Runs a command while this test process holds the lock, then lets it go.</summary>
    private static (int ExitCode, string Out, string Error) WhileHeld(string lockFile, Dictionary<string, string> environment, params string[] args)
    {
        Process waiting;
        using (Hold(lockFile))
        {
            waiting = Start(Binary, environment, args);
            Thread.Sleep(Held);
            Assert.False(waiting.HasExited, "the command did not wait for the DR lock");
        }

        using (waiting)
        {
            return Finish(waiting);
        }
    }

    private static FileStream Hold(string lockFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        var holder = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        holder.Lock(0, 1);
        return holder;
    }

    private static void WaitFor(string file)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"{file} never appeared");
            Thread.Sleep(20);
        }
    }
}
