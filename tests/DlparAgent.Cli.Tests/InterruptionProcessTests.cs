using System.Diagnostics;
using System.Text.Json;
using static DlparAgent.Cli.Tests.ProcessRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// SIGTERM and SIGINT in the middle of a large memory operation, sent to a real process: the
/// command stops before the next LMB, undoes what the all-or-nothing request had done, says it was
/// interrupted, and leaves the saved machine, the inventory and the journal in agreement.
/// </summary>
public sealed class InterruptionProcessTests : IDisposable
{
    private const int Lmbs = 20000;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dlpar-interrupt-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _environment;

    public InterruptionProcessTests()
    {
        Directory.CreateDirectory(_root);
        _environment = new() { ["DLPAR_STATE_DIR"] = State, ["DLPAR_SYSLOG_SOCKET"] = string.Empty };
        File.CreateSymbolicLink(Path.Combine(_root, "drmgr"), Binary);
    }

    private string State => Path.Combine(_root, "machine");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "dlpar", "add", "TERM" },
        { "dlpar", "remove", "INT" },
        { "drmgr", "add", "INT" },
        { "drmgr", "remove", "TERM" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_signal_mid_operation_rolls_back_and_leaves_machine_and_inventory_agreeing(string tool, string action, string signal)
    {
        Dlpar("platform", "init", "--kernel-dlpar", "", "--max-memory", "8T");
        Dlpar("platform", "assign", "memory", "--size", "6T");
        if (action == "remove")
        {
            Dlpar("add", "memory", "--count", Lmbs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        int ownedBefore = OwnedLmbs();
        string count = Lmbs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] args = tool == "dlpar"
            ? [action, "memory", "--count", count]
            : ["-c", "mem", action == "add" ? "-a" : "-r", "-q", count, "-w", "60"];
        // A shell that starts jobs in the background (CI's may) leaves SIGINT ignored, and exec keeps
        // it so; env puts back the default, as an interactive terminal has it.
        using Process process = Start("env", _environment, ["--default-signal=INT", tool == "dlpar" ? Binary : Path.Combine(_root, "drmgr"), .. args]);
        WaitUntilTheOperationHasBegun(process);
        Run("kill", new Dictionary<string, string>(), "-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (code, output, error) = Finish(process);

        string context = $"{tool} {action} with SIG{signal}: exit {code}\n{error}";
        Assert.True(code == (tool == "dlpar" ? 1 : 255), context);
        Assert.Contains(tool == "dlpar" ? "dlpar: interrupted" : "Interrupted: interrupted", error, StringComparison.Ordinal);
        if (tool == "drmgr")
        {
            Assert.Equal("DR_TOTAL_RESOURCES=0\n", output);
        }
        else
        {
            Assert.Contains($"memory {action} count {count}: 0 of {count} done", output, StringComparison.Ordinal);
        }

        Assert.Equal(ownedBefore, OwnedLmbs());
        Assert.Equal((0, "nothing to recover\n", string.Empty), Run(Binary, _environment, "recover"));
        var (_, show, _) = Run(Binary, _environment, "platform", "show", "--json");
        using JsonDocument state = JsonDocument.Parse(show);
        int configured = state.RootElement.GetProperty("drcs").EnumerateArray().Count(d =>
            d.GetProperty("device").GetString() == "mem0" && d.GetProperty("state").GetString() == "logical-configured");
        Assert.Equal(ownedBefore, configured);
        Assert.Equal(8 + ownedBefore, state.RootElement.GetProperty("kernel").GetProperty("memoryBlocksOnline").GetInt32());
    }

    /// <summary>The journal is written once the operation holds the lock and has its plan: the signal then lands mid-operation.</summary>
    private void WaitUntilTheOperationHasBegun(Process process)
    {
        string journal = Path.Combine(State, "journal");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(journal) && new FileInfo(journal).Length > 0))
        {
            Assert.False(process.HasExited, "the command ended before its operation was seen to begin");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the operation did not begin within a minute");
            Thread.Sleep(5);
        }
    }

    /// <summary>Hot-pluggable LMBs the OS owns, as the inventory lists them (the 8 boot LMBs are not listed).</summary>
    private int OwnedLmbs() => Run(Binary, _environment, "list", "--owned").Out.Split('\n').Count(l => l.Contains(" MEM ", StringComparison.Ordinal));

    private void Dlpar(params string[] args) => Assert.Equal(0, Run(Binary, _environment, args).ExitCode);
}
