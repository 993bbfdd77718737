using System.Diagnostics;
using System.Text.Json;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

public sealed class AgentCommandTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-agent-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private (int ExitCode, string Out, string Error) Dlpar(params string[] args) => Run([.. args, "--state-dir", _state]);

    [Theory]
    [InlineData("memory,cpu,dt", "kernel")]
    [InlineData("", "userspace")]
    public void Add_and_remove_memory_and_cpus_report_what_was_done(string kernel, string memoryPath)
    {
        Assert.Equal(0, Dlpar("platform", "init", "--kernel-dlpar", kernel).ExitCode);
        Dlpar("platform", "assign", "memory", "--size", "1G");
        Dlpar("platform", "assign", "cpu", "--core-id", "1");

        var (code, output, error) = Dlpar("add", "memory", "--count", "4");
        Assert.Equal((0, string.Empty), (code, error));
        Assert.Equal(
            [$"memory add count 4: 4 of 4 done ({memoryPath} path)", "  0x80000008 LMB 8: done", "  0x80000009 LMB 9: done", "  0x8000000a LMB 10: done",
                "  0x8000000b LMB 11: done"],
            output.TrimEnd('\n').Split('\n'));

        var (cpuCode, cpuOutput, _) = Dlpar("add", "cpu", "--name", "CPU 1", "--json");
        Assert.Equal(0, cpuCode);
        using (JsonDocument document = JsonDocument.Parse(cpuOutput))
        {
            JsonElement result = document.RootElement.GetProperty("results")[0];
            Assert.True(result.GetProperty("complete").GetBoolean());
            Assert.Equal("0x10000001", result.GetProperty("connectors")[0].GetProperty("index").GetString());
        }

        Assert.Equal(0, Dlpar("remove", "memory", "--indexed-count", "2", "0x80000008").ExitCode);
        var (_, show, _) = Dlpar("platform", "show", "--json");
        using JsonDocument state = JsonDocument.Parse(show);
        Assert.Equal(["logical-unusable", "logical-unusable", "logical-configured", "logical-configured"],
            state.RootElement.GetProperty("drcs").EnumerateArray().Where(d => d.GetProperty("device").GetString() == "mem0").Select(d =>
                d.GetProperty("state").GetString()));
        Assert.Equal(2, state.RootElement.GetProperty("kernel").GetProperty("cpusOnline").GetInt32());
    }

    [Fact]
    public void Request_runs_kernel_grammar_lines_from_stdin_and_fails_when_anything_was_not_done()
    {
        Dlpar("platform", "init");
        Dlpar("platform", "assign", "memory", "--size", "512M");

        var (code, output, _) = RunWithInput(Utf8("# the HMC's view\nmemory add count 2\nmemory add count 1\n"), "request", "--state-dir", _state);

        Assert.Equal(1, code);
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("memory add count 2: 2 of 2 done (kernel path)", lines[0]);
        Assert.StartsWith("memory add count 1: 0 of 1 done (kernel path): ", lines[3], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, "dlpar: give exactly one of --count, --index, --name or --indexed-count", "add", "cpu")]
    [InlineData(64, "dlpar: give exactly one of --count, --index, --name or --indexed-count", "add", "cpu", "--count", "1", "--index", "0x10000001")]
    [InlineData(1, "dlpar: CPU 0 (0x10000000) is already present", "add", "cpu", "--index", "0x10000000")]
    [InlineData(1, "dlpar: Cannot remove the last CPU: 1 requested, 1 present", "remove", "cpu", "--count", "1")]
    [InlineData(65, "dlpar: request: id type at offset 8: cpu takes count, index or name", "request", "cpu add indexed-count 1 0x10000000")]
    [InlineData(1, "dlpar: there is no I/O slot connector with name \"U8233.E8B.1000C9P-V1-C3\"", "remove", "slot", "--name", "U8233.E8B.1000C9P-V1-C3")]
    public void Refusals_are_one_line_with_an_exit_code(int exitCode, string message, params string[] args)
    {
        Dlpar("platform", "init");

        var (code, _, error) = Dlpar(args);

        Assert.Equal(exitCode, code);
        Assert.Equal(message + "\n", error);
    }

    [Fact]
    public void Recover_with_nothing_open_says_so()
    {
        Dlpar("platform", "init");

        Assert.Equal((0, "nothing to recover\n", string.Empty), Dlpar("recover"));
    }

    [Fact]
    public void A_damaged_journal_is_reported_and_kept_until_the_administrator_discards_it()
    {
        Dlpar("platform", "init");
        File.WriteAllText(Path.Combine(_state, "journal"), "begn 7 00000000 memory add count 2\n");

        var (code, output, error) = Dlpar("recover");
        Assert.Equal((65, string.Empty), (code, output));
        Assert.StartsWith("dlpar: the journal cannot be trusted: line 1 is damaged ('begn 7 00000000 memory add count 2'); " +
            "recovery will not guess", error, StringComparison.Ordinal);
        Assert.Equal(65, Dlpar("add", "memory", "--count", "1").ExitCode);

        Assert.Equal((0, "discarded damaged line 1: begn 7 00000000 memory add count 2\ndiscarded the journal (1 records); nothing was settled\n",
            string.Empty), Dlpar("recover", "--discard"));
        Assert.Equal((0, "nothing to recover\n", string.Empty), Dlpar("recover"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(9)]
    public void A_dlpar_process_killed_mid_operation_leaves_a_partition_recover_can_settle(int groups)
    {
        // A durable emulated machine is saved at every journal sync, as firmware and a kernel keep
        // their state: the kill lands in the real crash window, part of the LMBs configured.
        string dll = Path.Combine(AppContext.BaseDirectory, "dlpar.dll");
        Dlpar("platform", "init", "--kernel-dlpar", "", "--max-memory", "1100G");
        Dlpar("platform", "assign", "memory", "--size", "1024G");
        var start = new ProcessStartInfo("dotnet", [dll, "add", "memory", "--count", "4096", "--state-dir", _state])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DLPAR_EMULATED_DURABLE"] = "1";
        using var process = Process.Start(start)!;
        string journal = Path.Combine(_state, "journal");
        while (Horizons(journal) < groups)
        {
            Assert.False(process.HasExited, "the add ended before it could be killed mid-operation");
            Thread.Sleep(2);
        }

        process.Kill(entireProcessTree: true);
        process.WaitForExit();

        int configuredAtKill = ConfiguredLmbs();
        Assert.InRange(configuredAtKill, 256, 4095);
        var (code, report, _) = Dlpar("recover");
        Assert.Equal(0, code);
        Assert.EndsWith(": recovered\n", report, StringComparison.Ordinal);

        var (_, show, _) = Dlpar("platform", "show", "--json");
        using JsonDocument state = JsonDocument.Parse(show);
        int configured = ConfiguredLmbs();
        Assert.InRange(configured, configuredAtKill - 256, configuredAtKill + 256);
        Assert.Equal(8 + configured, state.RootElement.GetProperty("kernel").GetProperty("memoryBlocksOnline").GetInt32());
        Assert.Equal(configured, Dlpar("list", "memory", "--owned").Out.Split('\n').Count(l => l.Contains(" MEM ", StringComparison.Ordinal)));
    }

    private static int Horizons(string journal)
    {
        try
        {
            using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.StartsWith("horizon ", StringComparison.Ordinal));
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private int ConfiguredLmbs()
    {
        var (_, show, _) = Dlpar("platform", "show", "--json");
        using JsonDocument state = JsonDocument.Parse(show);
        return state.RootElement.GetProperty("drcs").EnumerateArray().Count(d =>
            d.GetProperty("device").GetString() == "mem0" && d.GetProperty("state").GetString() == "logical-configured");
    }
}
