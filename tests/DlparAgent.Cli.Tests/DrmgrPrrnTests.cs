using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// <c>drmgr -P FILE</c> as rtas_errd runs it after a PRRN event: each CPU and LMB named is removed
/// and added again by index; the file is consumed; only a resource lost on the way fails the run.
/// </summary>
public sealed class DrmgrPrrnTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-prrn-" + Guid.NewGuid().ToString("N"));

    public DrmgrPrrnTests()
    {
        Assert.Equal(0, Run("--state-dir", _state, "platform", "init", "--profile", "powervm").ExitCode);
        Assert.Equal(0, Run("--state-dir", _state, "platform", "assign", "memory", "--size", "512M").ExitCode);
        Assert.Equal(0, Run("--state-dir", _state, "platform", "assign", "cpu", "--core-id", "1").ExitCode);
        Assert.Equal(0, Run("--state-dir", _state, "drmgr", "-c", "mem", "-a", "-q", "2").ExitCode);
        Assert.Equal(0, Run("--state-dir", _state, "drmgr", "-c", "cpu", "-a", "-q", "1").ExitCode);
    }

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public void Named_resources_are_removed_and_added_again_and_the_file_is_consumed()
    {
        string before = Run("--state-dir", _state, "list", "--owned").Out;
        string file = Prrn("mem 80000008\ncpu 10000001\nmem 80000030\nfoo 1\n");

        var (code, output, error) = Run("--state-dir", _state, "drmgr", "-P", file);

        Assert.Equal((0, string.Empty), (code, output));
        Assert.Contains("line 4: Device type \"foo\" not recognized.", error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.Equal(before, Run("--state-dir", _state, "list", "--owned").Out);
        string log = File.ReadAllText(Path.Combine(_state, "drmgr.log"));
        Assert.Contains("Initiating kernel DLPAR \"memory remove index 0x80000008\"\nInitiating kernel DLPAR \"memory add index 0x80000008\"\n" +
            "Initiating kernel DLPAR \"cpu remove index 0x10000001\"\nInitiating kernel DLPAR \"cpu add index 0x10000001\"\n", log, StringComparison.Ordinal);
        Assert.Contains("mem 0x80000008: removed and added again\ncpu 0x10000001: removed and added again\n", log, StringComparison.Ordinal);
        Assert.Contains("mem 0x80000030: left as it was:", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resource_that_cannot_come_back_fails_the_run_and_says_which()
    {
        // The hypervisor refuses the re-add's allocation: the CPU is gone until someone adds it.
        Assert.Equal(0, Run("--state-dir", _state, "platform", "fault", "add", "--service", "set-indicator", "--drc", "0x10000001", "--indicator", "9003",
            "--after", "1", "--status", "-3").ExitCode);

        var (code, _, error) = Run("--state-dir", _state, "drmgr", "-P", Prrn("cpu 10000001\n"));

        Assert.Equal(255, code);
        Assert.Contains("cpu 0x10000001: removed but could not be added again", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-P", "FILE", "-c", "cpu")]
    [InlineData("-P", "FILE", "-a")]
    public void P_goes_alone(params string[] args)
    {
        string file = Prrn("cpu 10000001\n");

        var (code, _, error) = Run(["--state-dir", _state, "drmgr", .. args.Select(a => a == "FILE" ? file : a)]);

        Assert.Equal(255, code);
        Assert.Contains("-P handles a PRRN event file alone (with -d and -w)", error, StringComparison.Ordinal);
        Assert.True(File.Exists(file));
    }

    private string Prrn(string text)
    {
        string file = Path.Combine(_state, "prrn-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, text);
        return file;
    }
}
