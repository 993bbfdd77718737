using System.Text.Json;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>Every <c>dlpar</c> command takes <c>--json</c> (before or after its words) and prints exactly one JSON document.</summary>
public sealed class JsonEverywhereTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-json-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    /// <summary>A session in order: each line is one command, with the top-level property its document must have.</summary>
    private static readonly (string Command, string Property)[] Session =
    [
        ("platform init --phbs 1", "ok"),
        ("platform assign memory --size 1G", "device"),
        ("platform assign cpu --core-id 1", "device"),
        ("platform assign memory --size 256M", "device"),
        ("platform reclaim mem1", "ok"),
        ("platform plug pci --phb 0 --slot 3", "device"),
        ("platform interrupt", "ok"),
        ("platform show", "drcs"),
        ("platform fault add --service set-indicator --status busy:2", "fault"),
        ("platform fault list", "faults"),
        ("platform fault clear", "ok"),
        ("add memory --count 2", "results"),
        ("remove memory --count 1", "results"),
        ("request \"cpu add count 1\"", "results"),
        ("remove cpu --count 1 --dry-run", "calls"),
        ("recover", "recovered"),
        ("capabilities", "capabilities"),
        ("list", "connectors"),
        ("list cpu --owned", "connectors"),
        ("show \"LMB 8\"", "index"),
        ("decode request \"memory add count 1\"", "kernelAccepts"),
        ("decode fdt @FIXTURES@/qemu/example-cas.dtb", "containers"),
        ("decode event @FIXTURES@/events/qemu-memory-remove-count-indexed.hex", "sections"),
        ("platform unplug mem0", "ok"),
        ("platform powerdown", "ok"),
        ("platform reset", "ok"),
    ];

    [Fact]
    public void Every_command_prints_one_document()
    {
        foreach ((string command, string property) in Session)
        {
            string[] words = Words(command);
            var (code, output, error) = Run(["--state-dir", _state, .. words, "--json"]);
            Assert.True(code == 0, $"{command}: {code} {error}");
            using JsonDocument document = JsonDocument.Parse(output);
            Assert.True(document.RootElement.TryGetProperty(property, out _), $"{command}: no '{property}' in {output}");
        }

        // Before the command words works as well, and an RTAS console session is one document.
        using JsonDocument before = JsonDocument.Parse(Run("--json", "--state-dir", _state, "list", "phb").Out);
        Assert.NotEmpty(before.RootElement.GetProperty("connectors").EnumerateArray());
        var (rtasCode, rtasOut, _) = RunWithInput(Utf8("get-sensor-state 9003 0x10000000\nget-power-level 0\n"), "--state-dir", _state, "platform", "rtas",
            "--json");
        Assert.Equal(0, rtasCode);
        Assert.Equal(2, JsonDocument.Parse(rtasOut).RootElement.GetProperty("calls").GetArrayLength());
    }

    /// <summary>The schema of every command's document is a snapshot (<see cref="SchemaSnapshot"/>).</summary>
    [Fact]
    public void Every_commands_schema_matches_its_snapshot()
    {
        var documents = new List<(string, string)>();
        foreach ((string command, _) in Session)
        {
            var (code, output, error) = Run(["--state-dir", _state, .. Words(command), "--json"]);
            Assert.True(code == 0, $"{command}: {code} {error}");
            documents.Add((command, output));
        }

        // doctor judges this host, so its verdict may fail; its document's shape may not change.
        var doctor = Run("doctor", "--json");
        Assert.True(doctor.ExitCode is 0 or 1, $"doctor: {doctor.ExitCode} {doctor.Error}");
        documents.Add(("doctor", doctor.Out));
        var rtas = RunWithInput(Utf8("get-sensor-state 9003 0x10000000\n"), "--state-dir", _state, "platform", "rtas", "--json");
        documents.Add(("platform rtas", rtas.Out));
        SchemaSnapshot.Matches("json-schemas.txt", documents);
    }

    [Theory]
    [InlineData("platform show")]
    [InlineData("add cpu --count 1")]
    [InlineData("nonsense")]
    [InlineData("decode fdt /nonexistent.dtb")]
    public void Failures_print_an_error_document(string command)
    {
        var (code, output, error) = Run(["--state-dir", _state, .. Words(command), "--json"]);

        Assert.NotEqual(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        Assert.False(document.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(code, document.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32());
        Assert.Equal(1, error.Split('\n').Count(l => l.StartsWith("dlpar: ", StringComparison.Ordinal)));
    }

    private static string[] Words(string command)
    {
        var words = new List<string>();
        foreach ((string part, int i) in command.Split('"').Select((p, i) => (p, i)))
        {
            words.AddRange(i % 2 == 1 ? [part] : part.Replace("@FIXTURES@", CliRunner.Fixture(string.Empty).TrimEnd('/'), StringComparison.Ordinal)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return [.. words];
    }
}
