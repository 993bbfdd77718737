using DlparAgent.Core.Files;
using System.Diagnostics;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dlpar-state-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_machine_saves_and_loads_with_every_detail()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug memory 1G", "plug cpu 2", "set-indicator 9003 0x10000002 1 => 0", "set-indicator 9001 0x10000002 1 => 0",
            "ibm,configure-connector 0x10000002 => 2 PowerPC,POWER9@2", "plug pci 0 3", "powerdown");
        s.Machine.Faults.Add(new FaultRule { Service = "set-indicator", Drc = 0x80000010, After = 1, Times = 2, Kind = FaultKind.Busy, StormLength = 3 });

        using (MachineStore store = MachineStore.Open(_directory, TimeSpan.FromSeconds(5)))
        {
            store.Save(s.Machine);
        }

        using MachineStore again = MachineStore.Open(_directory, TimeSpan.FromSeconds(5));
        MachineState loaded = again.Load();
        Assert.Equal(MachineStateCodec.Encode(s.Machine), MachineStateCodec.Encode(loaded));

        // The half-done configure-connector walk continues where it was.
        var resumed = new Scenario(new EmulatedPlatform(loaded, FixedClock.Default));
        resumed.Run("ibm,configure-connector 0x10000002 => 3 name 506f77657250432c504f57455239403200", "queue => 4");
    }

    [Fact]
    public void A_link_planted_at_the_temporary_name_is_removed_not_followed()
    {
        Directory.CreateDirectory(_directory);
        string victim = Path.Combine(_directory, "victim");
        File.WriteAllText(victim, "keep");
        File.CreateSymbolicLink(Path.Combine(_directory, MachineStore.StateFileName + ".tmp"), victim);
        Scenario s = Scenario.FixtureF();

        using (MachineStore store = MachineStore.Open(_directory, TimeSpan.FromSeconds(5)))
        {
            store.Save(s.Machine);
        }

        Assert.Equal("keep", File.ReadAllText(victim));
        Assert.False(File.Exists(Path.Combine(_directory, MachineStore.StateFileName + ".tmp")));
        using MachineStore again = MachineStore.Open(_directory, TimeSpan.FromSeconds(5));
        Assert.Equal(MachineStateCodec.Encode(s.Machine), MachineStateCodec.Encode(again.Load()));
    }

    [Fact]
    public void A_failed_write_leaves_no_temporary_file()
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, "side");

        Assert.Throws<InvalidOperationException>(() => DlparAgent.Core.Engine.AtomicFile.Replace(path, _ => throw new InvalidOperationException("full")));

        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_foreign_file_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, MachineStore.StateFileName);
        File.WriteAllText(path, "{ \"not\": \"ours\" }");

        using MachineStore store = MachineStore.Open(_directory, TimeSpan.FromSeconds(5));
        var error = Assert.Throws<StateFileException>(store.Load);

        Assert.Contains("is not a DlparAgent emulated-machine state file", error.Message, StringComparison.Ordinal);
        Assert.Equal("{ \"not\": \"ours\" }", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(30, "checksum does not match")]
    [InlineData(9, "state format")]
    [InlineData(19, "declares")]
    public void A_damaged_file_is_refused_with_the_reason(int offset, string reason)
    {
        byte[] file = MachineStateCodec.Encode(Scenario.FixtureF().Machine);
        file[offset] ^= 0x40;

        var error = Assert.Throws<StateFileException>(() => MachineStateCodec.Decode(file, "machine.state"));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        byte[] file = MachineStateCodec.Encode(Scenario.FixtureF().Machine);

        Assert.Throws<StateFileException>(() => MachineStateCodec.Decode(file.AsSpan(0, file.Length / 2), "machine.state"));
    }

    [Fact]
    public void Loading_without_a_machine_says_how_to_make_one()
    {
        using MachineStore store = MachineStore.Open(_directory, TimeSpan.FromSeconds(5));

        var error = Assert.Throws<StateFileException>(store.Load);

        Assert.Contains("dlpar platform init", error.Message, StringComparison.Ordinal);
        Assert.False(store.Exists);
    }

    [Fact]
    public async Task A_second_opener_waits_for_the_lock()
    {
        MachineStore first = MachineStore.Open(_directory, TimeSpan.FromSeconds(5));
        var released = Stopwatch.StartNew();
        var waiter = Task.Run(() =>
        {
            using MachineStore second = MachineStore.Open(_directory, TimeSpan.FromSeconds(30));
            return released.Elapsed;
        });

        Thread.Sleep(300);
        Assert.False(waiter.IsCompleted);
        first.Dispose();

        TimeSpan waited = await waiter.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(waited >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void A_lock_held_too_long_is_a_clear_error()
    {
        using MachineStore first = MachineStore.Open(_directory, TimeSpan.FromSeconds(5));

        var error = Assert.Throws<StateFileException>(() => MachineStore.Open(_directory, TimeSpan.FromMilliseconds(100)));

        Assert.Contains("is locked by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lock_on_a_read_only_file_system_fails_at_once_instead_of_waiting_for_a_holder()
    {
        // EROFS stands for every failure that is not a holder (ENOSPC, EIO): none is worth a wait.
        // Mounting needs root with CAP_SYS_ADMIN, which CI has; elsewhere the test has nothing to mount.
        Directory.CreateDirectory(_directory);
        if (Environment.UserName != "root" || Tool("mount", "-t", "tmpfs", "-o", "ro,size=64k", "none", _directory) != 0)
        {
            return;
        }

        try
        {
            var error = Assert.Throws<StateFileException>(() => MachineStore.Open(_directory, TimeSpan.FromSeconds(30)));

            Assert.Equal(StateProblem.Io, error.Problem);
            Assert.Equal($"cannot lock the machine: {Path.Combine(_directory, "machine.lock")}: Read-only file system", error.Message);
        }
        finally
        {
            Assert.Equal(0, Tool("umount", _directory));
        }
    }

    [Fact]
    public void A_directory_at_the_state_file_is_refused_as_one()
    {
        Directory.CreateDirectory(Path.Combine(_directory, MachineStore.StateFileName));
        using MachineStore store = MachineStore.Open(_directory, TimeSpan.FromSeconds(5));

        var error = Assert.Throws<UnsafeFileException>(store.Load);

        Assert.Equal($"{store.StatePath} is a directory, not a regular file; remove it", error.Message);
    }

    [Theory]
    [InlineData("fifo", "is a FIFO, not a regular file; remove it")]
    [InlineData("link", "is a symbolic link, not a regular file; remove it")]
    [InlineData("foreign", "belongs to uid 65534, not to the caller (uid 0); it is not trusted")]
    public void A_state_file_that_is_not_a_regular_file_of_the_callers_is_refused_before_it_is_opened(string planted, string problem)
    {
        using (MachineStore store = MachineStore.Open(_directory, TimeSpan.FromSeconds(5)))
        {
            store.Save(Scenario.FixtureF().Machine);
        }

        string state = Path.Combine(_directory, MachineStore.StateFileName);
        if (planted == "foreign" && Environment.UserName != "root")
        {
            // Giving a file away needs root; the suite runs as root in CI.
            return;
        }

        switch (planted)
        {
            case "fifo":
                File.Delete(state);
                Assert.Equal(0, Tool("mkfifo", state));
                break;
            case "link":
                File.Move(state, state + ".real");
                File.CreateSymbolicLink(state, state + ".real");
                break;
            default:
                Assert.Equal(0, Tool("chown", "nobody", state));
                break;
        }

        using MachineStore again = MachineStore.Open(_directory, TimeSpan.FromSeconds(5));
        var error = Assert.Throws<UnsafeFileException>(again.Load);

        Assert.Equal($"{state} {problem}", error.Message);
    }

    private static int Tool(string program, params string[] args)
    {
        using Process process = Process.Start(program, args);
        Assert.True(process.WaitForExit(10_000), $"{program} did not finish");
        return process.ExitCode;
    }

    [Theory]
    [InlineData("/explicit", null, null, false, "/explicit")]
    [InlineData(null, null, "/home/u", false, "/home/u/.local/state/dlpar-agent/emulated")]
    [InlineData(null, "/xdg", "/home/u", false, "/xdg/dlpar-agent/emulated")]
    [InlineData(null, "/xdg", "/root", true, "/var/lib/dlpar-agent/emulated")]
    public void The_default_directory_follows_the_environment(string? explicitDir, string? xdg, string? home, bool root, string expected)
    {
        var env = new Dictionary<string, string?> { ["DLPAR_STATE_DIR"] = explicitDir, ["XDG_STATE_HOME"] = xdg, ["HOME"] = home };

        Assert.Equal(expected, MachineStore.DefaultDirectory(name => env.GetValueOrDefault(name), root));
    }
}
