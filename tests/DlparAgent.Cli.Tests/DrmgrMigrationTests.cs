using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// Live Partition Mobility as the HMC drives it through drmgr on an emulated PowerVM partition:
/// <c>-m -c pmig -p check</c> (the hooks may veto) and <c>-p pre -s STREAM</c> (pre hooks, the
/// kernel's migration write, drmgr's <c>migration rc</c> line, post hooks whatever happened).
/// </summary>
public sealed class DrmgrMigrationTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-pmig-" + Guid.NewGuid().ToString("N"));
    private readonly string _marks = Path.Combine(Path.GetTempPath(), "dlpar-pmig-marks-" + Guid.NewGuid().ToString("N"));

    public DrmgrMigrationTests() => Assert.Equal(0, Run("--state-dir", _state, "platform", "init", "--profile", "powervm").ExitCode);

    public void Dispose()
    {
        foreach (string directory in new[] { _state, _marks })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public void A_powervm_partition_is_migratable_and_a_qemu_one_is_not()
    {
        Assert.Contains(",pmig=yes,", Run("--state-dir", _state, "drmgr", "-C").Out, StringComparison.Ordinal);

        Assert.Equal(0, Run("--state-dir", _state, "platform", "init", "--force").ExitCode);
        Assert.Contains(",pmig=no,", Run("--state-dir", _state, "drmgr", "-C").Out, StringComparison.Ordinal);
        var (code, _, error) = Drmgr("-m", "-c", "pmig", "-p", "check");
        Assert.Equal(255, code);
        Assert.Contains("Partition Mobility is not supported.", error, StringComparison.Ordinal);
        Assert.Equal(1, Run("--state-dir", _state, "platform", "migrate").ExitCode);
    }

    [Fact]
    public void A_check_passes_without_hooks_and_a_hook_vetoes_with_its_words_then_undoes()
    {
        Assert.Equal((0, string.Empty), Pick(Drmgr("-m", "-c", "pmig", "-p", "check")));

        Hook("10-veto", "echo \"$DRC_TYPE $ACTION $PHASE\" >> MARKS; [ \"$PHASE\" = check ] && { echo 'the database is busy'; exit 3; }; exit 0");
        var (code, output, error) = Drmgr("-m", "-c", "pmig", "-p", "check", "-s", "0x1");

        Assert.Equal((1, string.Empty), (code, output));
        Assert.Contains("the database is busy\n", error, StringComparison.Ordinal);
        Assert.Equal("pmig migrate check\npmig migrate undocheck\n", Marks());
    }

    [Fact]
    public void A_migration_runs_on_the_hmcs_stream_once_with_the_pre_and_post_hooks()
    {
        Hook("10-mark", "echo \"$PHASE\" >> MARKS");
        string stream = Run("--state-dir", _state, "platform", "migrate").Out.Trim();

        Assert.Equal((0, string.Empty), Pick(Drmgr("-m", "-c", "pmig", "-p", "pre", "-s", stream)));
        string log = File.ReadAllText(Path.Combine(_state, "drmgr.log"));
        Assert.Contains($"Initiating migration via /sys/kernel/mobility/migration with {stream}\ndrmgr: migration rc 0\n", log, StringComparison.Ordinal);

        // The stream is spent: the kernel's write fails (EINVAL), drmgr exits with it, and the post hooks still run.
        var (code, _, error) = Drmgr("-m", "-c", "pmig", "-p", "pre", "-s", stream);
        Assert.Equal(22, code);
        Assert.Contains("no migration is under way on stream", error, StringComparison.Ordinal);
        Assert.Equal("pre\npost\npre\npost\n", Marks());
    }

    [Fact]
    public void The_hmc_can_call_a_migration_off_before_the_partition_suspends()
    {
        string stream = Run("--state-dir", _state, "platform", "migrate").Out.Trim();
        Assert.Equal(1, Run("--state-dir", _state, "platform", "migrate").ExitCode);
        Assert.Equal(0, Run("--state-dir", _state, "platform", "migrate", "--cancel").ExitCode);

        Assert.Equal(22, Drmgr("-m", "-c", "pmig", "-p", "pre", "-s", stream).ExitCode);
    }

    [Theory]
    [InlineData(255, "No streamid specified", "-m", "-c", "pmig", "-p", "pre")]
    [InlineData(255, "Invalid streamid specified: xyz", "-m", "-c", "pmig", "-p", "pre", "-s", "xyz")]
    [InlineData(255, "The -m must be specified for migrations", "-c", "pmig", "-p", "check")]
    [InlineData(255, "A command must be specified", "-m", "-c", "pmig")]
    [InlineData(1, "Invalid command \"post\" specified (check or pre)", "-m", "-c", "pmig", "-p", "post")]
    [InlineData(1, "Invalid command \"check\" specified (pre)", "-c", "phib", "-p", "check")]
    public void A_wrong_command_line_runs_nothing(int expected, string message, params string[] args)
    {
        string stream = Run("--state-dir", _state, "platform", "migrate").Out.Trim();

        var (code, _, error) = Drmgr(args);

        Assert.Equal(expected, code);
        Assert.Contains(message + "\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", error, StringComparison.Ordinal);
        Assert.Equal(0, Drmgr("-m", "-c", "pmig", "-p", "pre", "-s", stream).ExitCode);
    }

    [Fact]
    public void Hibernation_suspends_on_the_hmcs_stream_without_hooks()
    {
        Hook("10-mark", "echo \"$PHASE\" >> MARKS");
        string stream = Run("--state-dir", _state, "platform", "migrate").Out.Trim();

        var (code, output, error) = Drmgr("-c", "phib", "-p", "pre", "-s", stream);

        Assert.Equal((0, string.Empty), (code, output));
        Assert.Equal("Validating partition hibernation capability...yes.\nValidating partition migration capability...yes.\n", error);
        string log = File.ReadAllText(Path.Combine(_state, "drmgr.log"));
        Assert.Contains($"drmgr: -c phib -p pre -s {stream} \nValidating partition migration capability...yes.\n" +
            $"Initiating hibernation via /sys/devices/system/power/hibernate with {stream}\ndrmgr: hibernation rc 0\n", log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_marks, "marks")));
        Assert.Equal(22, Drmgr("-c", "phib", "-p", "pre", "-s", stream).ExitCode);
    }

    private (int ExitCode, string Out, string Error) Drmgr(params string[] args) => Run(["--state-dir", _state, "drmgr", .. args]);

    private static (int, string) Pick((int ExitCode, string Out, string Error) run) => (run.ExitCode, run.Out);

    /// <summary>A hook in the state directory's drmgr.d/pmig, owned by the caller and writable only by it; MARKS is a file it may append to.</summary>
    private void Hook(string name, string body)
    {
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        string hooks = Path.Combine(_state, "drmgr.d");
        string directory = Path.Combine(hooks, "pmig");
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(_marks);
        File.SetUnixFileMode(hooks, Private);
        File.SetUnixFileMode(directory, Private);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("MARKS", Path.Combine(_marks, "marks"), StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, Private);
    }

    private string Marks() => File.ReadAllText(Path.Combine(_marks, "marks"));
}
