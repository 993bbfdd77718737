using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary><c>drmgr -c acc -t gzip -q N</c> as the HMC runs it: the new QoS credit total handed to the kernel and read back.</summary>
public sealed class DrmgrAcceleratorTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-acc-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public void Credits_are_set_read_back_and_kept_with_the_machine()
    {
        Init("powervm");

        Assert.Equal((0, "gzip QoS credits: 0 -> 50 (0 in use)\n"), Drmgr("-c", "acc", "-t", "gzip", "-q", "50"));
        Assert.Equal((0, "gzip QoS credits: 50 -> 16 (0 in use)\n"), Drmgr("-c", "acc", "-t", "gzip", "-q", "0x10", "-w", "5", "-d", "1"));
        Assert.Equal(0, Run("--state-dir", _state, "platform", "reset").ExitCode);
        Assert.Equal((0, "gzip QoS credits: 16 -> 0 (0 in use)\n"), Drmgr("-c", "acc", "-t", "gzip", "-q", "0"));

        string log = File.ReadAllText(Path.Combine(_state, "drmgr.log"));
        Assert.Contains("drmgr: -c acc -t gzip -q 50 \nSuccessful update total QoS credits\n", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Invalid Accelerator type: deflate (the types are gzip)\n", "-c", "acc", "-t", "deflate", "-q", "5")]
    [InlineData("-t gzip must be specified\n", "-c", "acc", "-q", "5")]
    [InlineData("Invalid QoS credit count 65536 (0 to 65535)\n", "-c", "acc", "-t", "gzip", "-q", "65536")]
    [InlineData("Invalid QoS credit count -1 (0 to 65535)\n", "-c", "acc", "-t", "gzip", "-q", "-1")]
    [InlineData("-c acc needs the new total of QoS credits (-q)\n", "-c", "acc", "-t", "gzip")]
    [InlineData("-c acc takes only -t and -q (and at most one of -a or -r, which it ignores)\n", "-c", "acc", "-t", "gzip", "-q", "5", "-s", "x")]
    public void A_wrong_command_line_changes_nothing_and_says_why(string message, params string[] args)
    {
        Init("powervm");

        var (code, error) = Drmgr(args);

        Assert.Equal(255, code);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Equal((0, "gzip QoS credits: 0 -> 1 (0 in use)\n"), Drmgr("-c", "acc", "-t", "gzip", "-q", "1"));
    }

    [Fact]
    public void An_action_is_accepted_and_ignored_as_drmgr_does()
    {
        Init("powervm");

        Assert.Equal((0, "gzip QoS credits: 0 -> 7 (0 in use)\n"), Drmgr("-c", "acc", "-a", "-t", "gzip", "-q", "7"));
    }

    [Fact]
    public void A_partition_without_the_accelerator_says_so()
    {
        Init("qemu");

        var (code, error) = Drmgr("-c", "acc", "-t", "gzip", "-q", "5");

        Assert.Equal(255, code);
        Assert.Contains("Could not open \"/sys/devices/virtual/misc/vas/vas0/gzip/qos_capabilities/update_total_credits\" to write QoS credits",
            error, StringComparison.Ordinal);
    }

    private void Init(string profile) =>
        Assert.Equal(0, Run("--state-dir", _state, "platform", "init", "--force", "--profile", profile).ExitCode);

    private (int, string) Drmgr(params string[] args)
    {
        var (code, output, error) = Run(["--state-dir", _state, "drmgr", .. args]);
        Assert.Equal(string.Empty, output);
        return (code, error);
    }
}
