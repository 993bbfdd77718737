using System.Text.Json;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

public sealed class PlatformCommandTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private (int ExitCode, string Out, string Error) Dlpar(params string[] args) => Run([.. args, "--state-dir", _state]);

    private (int ExitCode, string Out, string Error) DlparWithInput(string input, params string[] args) => RunWithInput(Utf8(input), [.. args, "--state-dir",
        _state]);

    [Fact]
    public void Init_creates_qemus_connectors_and_show_lists_them_as_json()
    {
        var (code, output, _) = Dlpar("platform", "init", "--cpus", "1", "--max-cpus", "8", "--memory", "2G", "--max-memory", "8G", "--slots", "8");
        Assert.Equal(0, code);
        Assert.StartsWith($"Created an emulated QEMU pseries partition in {_state}: ", output, StringComparison.Ordinal);

        var (showCode, json, _) = Dlpar("platform", "show", "--json");
        Assert.Equal(0, showCode);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement[] drcs = [.. document.RootElement.GetProperty("drcs").EnumerateArray()];
        Assert.Equal(8 + 24 + 31 + 8 + 256, drcs.Length);
        JsonElement cpu0 = drcs.Single(d => d.GetProperty("name").GetString() == "CPU 0");
        Assert.Equal("0x10000000", cpu0.GetProperty("index").GetString());
        Assert.Equal("logical-configured", cpu0.GetProperty("state").GetString());
        Assert.Equal("core0", cpu0.GetProperty("device").GetString());
        Assert.False(cpu0.GetProperty("unplugRequested").GetBoolean());
        JsonElement lmb8 = drcs.Single(d => d.GetProperty("index").GetString() == "0x80000008");
        Assert.Equal(("LMB 8", "MEM", "logical-unusable", JsonValueKind.Null), (lmb8.GetProperty("name").GetString(), lmb8.GetProperty("type").GetString(),
            lmb8.GetProperty("state").GetString(), lmb8.GetProperty("device").ValueKind));
        Assert.Equal("physical-poweron", drcs.Single(d => d.GetProperty("name").GetString() == "C24").GetProperty("state").GetString());
        Assert.Equal(0, document.RootElement.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public void Plug_prints_the_id_queues_the_event_and_unplug_completes_through_the_console()
    {
        Dlpar("platform", "init");
        Assert.Equal((0, "core1\n", ""), Dlpar("platform", "plug", "cpu", "--core-id", "1"));
        Assert.Equal((0, "mem0\n", ""), Dlpar("platform", "plug", "memory", "--size", "512M"));

        var (_, json, _) = Dlpar("platform", "show", "--json");
        using (JsonDocument document = JsonDocument.Parse(json))
        {
            string[] events = [.. document.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()!)];
            Assert.Equal(2, events.Length);
            Assert.EndsWith("0101020010000001" + "00000000", events[0], StringComparison.Ordinal);
            Assert.EndsWith("0201040000000002" + "80000008", events[1], StringComparison.Ordinal);
        }

        var (code, answers, _) = DlparWithInput(
            "check-exception 0x10000000\ncheck-exception 0x10000000\ncheck-exception 0x10000000\n" +
            "set-indicator 9003 0x10000001 1\n# a comment\n\nget-sensor-state 9003 0x10000001\n",
            "platform", "rtas");
        Assert.Equal(0, code);
        string[] lines = answers.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("0 063460e5", lines[0], StringComparison.Ordinal);
        Assert.Equal(["1", "0", "0 1"], lines[2..]);

        Assert.Equal(0, Dlpar("platform", "unplug", "core1").ExitCode);
        Assert.Equal("0\n", DlparWithInput("set-indicator 9003 0x10000001 0\n", "platform", "rtas").Out);
        var (_, text, _) = Dlpar("platform", "show");
        Assert.DoesNotContain("core1", text.Split("Connectors")[0], StringComparison.Ordinal);
        Assert.Contains("DEVICE_DELETED core1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_console_walks_configure_connector_across_lines_and_reports_bad_lines()
    {
        Dlpar("platform", "init");

        var (_, output, _) = DlparWithInput(
            "ibm,configure-connector 0x10000000\nibm,configure-connector 0x10000000\nibm,configure-connector 0x10000000\nget-sensor-state 9003\nfly " +
                "1\nset-indicator 9001 0x10000000 zz\nget-power-level -1\n",
            "platform", "rtas");

        Assert.Equal(
            ["2 PowerPC,POWER9@0", "3 name 506f77657250432c504f57455239403000", "3 ibm,dec-bits 00000038",
                "error: get-sensor-state takes 2 arguments, 1 given", "error: unknown call 'fly'", "error: 'zz' is not a number (decimal or 0x-hex)", "0 100"],
            output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Faults_are_added_listed_used_and_cleared()
    {
        Dlpar("platform", "init");

        Assert.Equal(0, Dlpar("platform", "fault", "add", "--service", "get-sensor-state", "--drc", "0x10000000", "--after", "1", "--status",
            "-9001").ExitCode);
        Assert.Equal(0, Dlpar("platform", "fault", "add", "--service", "set-indicator", "--status", "delay:9902:2", "--times", "2").ExitCode);
        var (_, list, _) = Dlpar("platform", "fault", "list");
        Assert.Equal(
            ["fault 0: get-sensor-state drc 0x10000000 after 1 times 1: status -9001 (matched 0, fired 0)",
                "fault 1: set-indicator after 0 times 2: delay:9902:2 (matched 0, fired 0)"],
            list.TrimEnd('\n').Split('\n'));
        var (_, answers, _) = DlparWithInput("get-sensor-state 9003 0x10000000\nget-sensor-state 9003 0x10000000\nget-sensor-state 9003 0x10000000\n",
            "platform", "rtas");
        Assert.Equal(["0 1", "-9001 0", "0 1"], answers.TrimEnd('\n').Split('\n'));

        Assert.Equal(0, Dlpar("platform", "fault", "clear").ExitCode);
        Assert.Equal(string.Empty, Dlpar("platform", "fault", "list").Out);
    }

    [Theory]
    [InlineData(64, "dlpar: memory (384M) must be a positive multiple of 256 MiB", "platform", "init", "--memory", "384M")]
    [InlineData(64, "dlpar: --size 'lots' is not a size such as 512M or 8G", "platform", "plug", "memory", "--size", "lots")]
    [InlineData(64, "dlpar: unknown RTAS service 'ibm,nonsense'", "platform", "fault", "add", "--service", "ibm,nonsense", "--status", "-1")]
    [InlineData(64, "dlpar: --status 'busy' is not S, busy:M or delay:990x:M", "platform", "fault", "add", "--service", "set-indicator", "--status", "busy")]
    [InlineData(1, "dlpar: Boot CPU core may not be unplugged", "platform", "unplug", "core0")]
    [InlineData(1, "dlpar: Device 'nothing' not found", "platform", "reclaim", "nothing")]
    [InlineData(1, "dlpar: there is no PHB 5", "platform", "plug", "pci", "--phb", "5", "--slot", "1")]
    [InlineData(1, "dlpar: '../../x' is not a valid device id: it starts with a letter and holds only letters, digits, '-', '.' and '_'", "platform",
        "plug", "memory", "--size", "256M", "--id", "../../x")]
    [InlineData(1, "dlpar: NUMA node 128 is out of range 0..127", "platform", "plug", "memory", "--size", "256M", "--node", "128")]
    public void Bad_requests_are_one_line_with_an_exit_code(int exitCode, string message, params string[] args)
    {
        Dlpar("platform", "init");

        var (code, output, error) = Dlpar(args);

        Assert.Equal(exitCode, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal(message + "\n", error);
    }

    [Fact]
    public void A_missing_or_damaged_machine_is_reported_and_never_reset()
    {
        Assert.Equal((66, $"dlpar: there is no emulated machine in {_state}; create one with 'dlpar platform init'\n"), (Dlpar("platform", "show").ExitCode,
            Dlpar("platform", "show").Error));

        Dlpar("platform", "init");
        string path = Path.Combine(_state, "machine.state");
        byte[] file = File.ReadAllBytes(path);
        file[100] ^= 1;
        File.WriteAllBytes(path, file);

        var (code, _, error) = Dlpar("platform", "plug", "cpu", "--core-id", "1");
        Assert.Equal(65, code);
        Assert.Equal($"dlpar: {path} is damaged: its checksum does not match its contents\n", error);
        Assert.Equal(file, File.ReadAllBytes(path));
        Assert.Equal(1, Dlpar("platform", "init").ExitCode);
        Assert.Equal(0, Dlpar("platform", "init", "--force").ExitCode);
    }

    [Fact]
    public void The_powervm_profile_assigns_and_reclaims_without_events()
    {
        Assert.Equal(0, Dlpar("platform", "init", "--profile", "powervm", "--max-memory", "16G").ExitCode);
        Assert.Equal((0, "mem0\n", ""), Dlpar("platform", "assign", "memory", "--size", "1G"));
        Assert.Equal((0, "vio4\n", ""), Dlpar("platform", "assign", "slot", "--slot", "4", "--model", "vfc-client"));
        var (_, json, _) = Dlpar("platform", "show", "--json");
        using (JsonDocument document = JsonDocument.Parse(json))
        {
            Assert.Equal(0, document.RootElement.GetProperty("events").GetArrayLength());
            Assert.Equal("U8233.E8B.1000C9P-V1-C4",
                document.RootElement.GetProperty("drcs").EnumerateArray().Single(d =>
                    d.GetProperty("device").GetString() == "vio4").GetProperty("name").GetString());
        }

        Assert.Equal(0, Dlpar("platform", "reclaim", "mem0").ExitCode);
        Assert.Equal(0, Dlpar("platform", "reset").ExitCode);
    }
}
