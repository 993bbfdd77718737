using DlparAgent.Qemu;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary><c>dlpar platform qemu …</c> and <c>--platform qemu</c>: QEMU as the firmware, the emulated kernel as the OS side.</summary>
public sealed class QemuPlatformTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("dlpar-qemu-cli-").FullName;

    [Fact]
    public void Without_QEMU_start_says_how_to_install_it()
    {
        var (code, _, error) = RunIn(c => c with { Environment = name =>
            name == QemuBinary.EnvironmentVariable ? "/nonexistent/qemu" : Environment.GetEnvironmentVariable(name) },
            "--state-dir", _state, "platform", "qemu", "start", "--cas", "none");

        Assert.Equal(69, code);
        Assert.Contains("qemu-system-ppc64 was not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_agent_on_a_machine_never_started_is_unavailable()
    {
        var (code, output, error) = Run("--state-dir", _state, "--platform", "qemu", "list", "memory", "--json");

        Assert.Equal(69, code);
        Assert.Contains("no QEMU machine runs", error, StringComparison.Ordinal);
        Assert.Contains("\"ok\":false", output.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [QemuCliFact]
    public void Commands_that_look_see_what_the_kernel_took_from_qemus_interrupts_as_on_a_running_linux()
    {
        Assert.Equal(0, Run("--state-dir", _state, "platform", "qemu", "start").ExitCode);
        try
        {
            Assert.Equal(0, Run("--state-dir", _state, "platform", "qemu", "plug", "memory", "--size", "512M", "--id", "d1").ExitCode);

            // No drmgr has run: lsslot catches up first, as a real kernel would already have added the LMBs.
            var listed = Run("--state-dir", _state, "--platform", "qemu", "lsslot", "-c", "mem");
            Assert.Equal(2, listed.Out.Split('\n').Count(l => l.Contains("DRC Index:", StringComparison.Ordinal)));
            Assert.Equal(2, Run("--state-dir", _state, "--platform", "qemu", "list", "memory", "--owned").Out.Split('\n')
                .Count(l => l.Contains("owned", StringComparison.Ordinal)));

            Assert.Equal(0, Run("--state-dir", _state, "platform", "qemu", "plug", "cpu", "--core-id", "2", "--id", "c2").ExitCode);
            Assert.Equal(0, Run("--state-dir", _state, "--platform", "qemu", "platform", "interrupt").ExitCode);
            Assert.Contains("CPU 2 ", Run("--state-dir", _state, "--platform", "qemu", "list", "cpu", "--owned").Out, StringComparison.Ordinal);
        }
        finally
        {
            Run("--state-dir", _state, "platform", "qemu", "stop");
        }
    }

    [QemuCliFact]
    public void Drmgr_adds_memory_and_a_PCI_adapter_with_QEMU_as_the_firmware()
    {
        Assert.Equal(0, Run("--state-dir", _state, "platform", "qemu", "start", "--cas", "none").ExitCode);
        try
        {
            Assert.Equal(("d1", 0), Trimmed(Run("--state-dir", _state, "platform", "qemu", "plug", "memory", "--size", "512M", "--id", "d1")));
            var add = Run("--state-dir", _state, "--platform", "qemu", "drmgr", "-c", "mem", "-a", "-q", "2", "-d", "1");
            Assert.Equal(0, add.ExitCode);
            Assert.Equal("DR_TOTAL_RESOURCES=2", add.Out.Trim());
            Assert.Equal(2, Run("--state-dir", _state, "--platform", "qemu", "list", "memory", "--owned").Out.Split('\n').Count(l => l.Contains("owned",
                StringComparison.Ordinal)));

            Assert.Equal(("n1", 0), Trimmed(Run("--state-dir", _state, "platform", "qemu", "plug", "pci", "--slot", "3", "--id", "n1")));
            Assert.Equal(0, Run("--state-dir", _state, "--platform", "qemu", "drmgr", "-c", "pci", "-a", "-s", "0x40000018", "-n", "-d", "1").ExitCode);
            Assert.Contains("/pci@800000020000000/ethernet@3", Run("--state-dir", _state, "--platform", "qemu", "list", "pci", "--owned").Out,
                StringComparison.Ordinal);

            var status = Run("--state-dir", _state, "platform", "qemu", "status");
            Assert.Contains("(no CAS)", status.Out, StringComparison.Ordinal);
            Assert.Contains("DIMMs: d1", status.Out, StringComparison.Ordinal);
        }
        finally
        {
            Assert.Contains("QEMU stopped", Run("--state-dir", _state, "platform", "qemu", "stop").Out, StringComparison.Ordinal);
        }

        Assert.Equal(69, Run("--state-dir", _state, "platform", "qemu", "status").ExitCode);
    }

    [QemuCliFact]
    public void Every_qemu_commands_schema_matches_its_snapshot()
    {
        var documents = new List<(string, string)>();
        void Json(params string[] words)
        {
            var (code, output, error) = Run(["--state-dir", _state, "platform", "qemu", .. words, "--json"]);
            Assert.True(code == 0, $"{string.Join(' ', words)}: {code} {error}");
            documents.Add(("platform qemu " + string.Join(' ', words), output));
        }

        Json("start", "--cas", "none");
        try
        {
            Json("status");
            Json("plug", "memory", "--size", "512M", "--id", "d1");
            Json("plug", "cpu", "--core-id", "1");
            Json("plug", "phb", "--index", "1");
            Json("plug", "pci", "--slot", "3", "--id", "n1");
            Json("unplug", "n1");
        }
        finally
        {
            Json("stop");
        }

        SchemaSnapshot.Matches("json-schemas-qemu.txt", documents);
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private static (string, int) Trimmed((int ExitCode, string Out, string Error) result) => (result.Out.Trim(), result.ExitCode);
}
