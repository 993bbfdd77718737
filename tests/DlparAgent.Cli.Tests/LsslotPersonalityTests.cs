using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>lsslot's listings and option rules, read from the emulated partition after real drmgr operations.</summary>
public sealed class LsslotPersonalityTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-lsslot-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private (int ExitCode, string Out, string Error) Lsslot(params string[] args) => Run(["--state-dir", _state, "lsslot", .. args]);

    private void Dlpar(params string[] args) => Assert.Equal(0, Run(["--state-dir", _state, .. args]).ExitCode);

    private void Qemu()
    {
        Dlpar("platform", "init");
        Dlpar("platform", "assign", "memory", "--size", "512M");
        Dlpar("platform", "assign", "cpu", "--core-id", "1");
        Dlpar("platform", "assign", "pci", "--phb", "0", "--slot", "3");
        Dlpar("drmgr", "-c", "mem", "-a", "-q", "2");
        Dlpar("drmgr", "-c", "cpu", "-a", "-q", "1");
        Dlpar("drmgr", "-c", "pci", "-a", "-s", "0x40000018", "-n");
    }

    [Fact]
    public void Memory_lists_owned_lmbs_with_names_and_the_rest_only_at_level_4()
    {
        Qemu();

        var (code, output, _) = Lsslot("-c", "mem");
        Assert.Equal(0, code);
        Assert.StartsWith("Dynamic Reconfiguration Memory (LMB size 0x10000000)\nLMB 8:\n    DRC Index: 80000008        Address: 80000000\n", output,
            StringComparison.Ordinal);
        Assert.Equal(2, output.Split('\n').Count(l => l.StartsWith("LMB ", StringComparison.Ordinal)));
        Assert.DoesNotContain("[Not Owned]", output, StringComparison.Ordinal);

        string all = Lsslot("-c", "mem", "-d", "4").Out;
        Assert.Contains("LMB 16: [Not Owned]\n    DRC Index: 80000010        Address: 100000000\n    Removable: No ", all, StringComparison.Ordinal);

        Assert.Equal(
            "Dynamic Reconfiguration Memory (LMB size 0x10000000)\nLMB 9:\n",
            string.Join('\n', Lsslot("-c", "mem", "-s", "0x80000009").Out.Split('\n').Take(2)) + "\n");
    }

    [Fact]
    public void Cpus_are_refused_where_the_partition_is_not_an_lpar_as_on_qemu()
    {
        Qemu();

        var (code, output, error) = Lsslot("-c", "cpu");

        Assert.Equal((1, string.Empty, "\nThe system is not LPAR.\n\n"), (code, output, error));
    }

    [Fact]
    public void Cpus_use_drmgr_columns_and_hex_thread_ids()
    {
        Dlpar("platform", "init", "--profile", "powervm");
        Dlpar("platform", "assign", "cpu", "--core-id", "1");
        Dlpar("drmgr", "-c", "cpu", "-a", "-q", "1");

        Assert.Equal(
            "drc-name  OFDT-node           drc_index  thread id(s) \nCPU 0     PowerPC,POWER9@0    10000000   0  \nCPU 1     PowerPC,POWER9@1    10000001   " +
                "1  \n",
            Lsslot("-c", "cpu").Out);
        Assert.Contains("l2-cache", Lsslot("-c", "cpu", "-b").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Pci_slots_and_phbs_show_the_added_adapter()
    {
        Qemu();

        Assert.Equal("# Slot  Description                     Device(s)\nC24     PCI-E capable, Rev 2, 8x lanes  0000:00:03.0\n", Lsslot("-c", "pci",
            "-o").Out);
        string empty = Lsslot("-c", "pci", "-a", "-F", ":").Out;
        Assert.StartsWith("C0:PCI-E capable, Rev 2, 8x lanes:Empty\n", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("C24:", empty, StringComparison.Ordinal);
        // Every hotplug slot of the PHB, in reverse device-tree order (index order on the emulated platform), as drmgr lists them.
        string[] phbs = Lsslot("-c", "phb").Out.Split('\n');
        Assert.Equal("PHB name  OFDT Name            Slot(s) Connected", phbs[0]);
        Assert.Equal("PHB 0     /pci@800000020000000 C255", phbs[1]);
        Assert.Equal(string.Empty.PadRight(30) + " C24", phbs[1 + 255 - 24]);
        Assert.Equal(string.Empty.PadRight(30) + " C0", phbs[256]);
        Assert.Equal(["", ""], phbs[257..]);
    }

    [Fact]
    public void Logical_slots_are_the_default_and_a_filters_them_unlike_upstream()
    {
        Dlpar("platform", "init", "--profile", "powervm");

        var (code, output, _) = Lsslot();
        Assert.Equal(0, code);
        Assert.StartsWith("# Slot                     Description        Linux Name    Device(s)\nU8233.E8B.1000C9P-V1-C2    Virtual I/O Slot   30000002    " +
            "  l-lan\n", output, StringComparison.Ordinal);
        Assert.Equal(
            "U8233.E8B.1000C9P-V1-C2:Virtual I/O Slot:30000002:l-lan\nU8233.E8B.1000C9P-V1-C3:Virtual I/O Slot:30000003:v-scsi\n",
            Lsslot("-o", "-F", ":").Out);
        Assert.DoesNotContain("30000002", Lsslot("-a").Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-c", "cpu", "-a")]
    [InlineData("-c", "mem", "-b")]
    [InlineData("-c", "cpu", "-s", "1")]
    [InlineData("-c", "mem", "-s", "LMB 8")]
    [InlineData("-c", "phb", "-F", ":")]
    [InlineData("-c", "pci", "-F", "%")]
    [InlineData("-c", "cpu", "-b", "-p")]
    [InlineData("-c", "pci", "-a", "-o")]
    [InlineData("-d", "99999999999")]
    [InlineData("-x")]
    [InlineData("stray")]
    [InlineData("-c")]
    public void Misused_options_print_the_usage_and_exit_1(params string[] args)
    {
        var (code, output, error) = Lsslot(args);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("Usage: lsslot [-c <slot|pci|phb|port|cpu|mem>]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_type_is_reported_on_stdout_like_upstream()
    {
        var (code, output, error) = Lsslot("-c", "disk");

        Assert.Equal((1, "The specified connector type is invalid.\n"), (code, output));
        Assert.StartsWith("Usage: lsslot", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_machine_is_a_clear_error()
    {
        var (code, output, error) = Lsslot("-c", "mem");

        Assert.Equal(255, code);
        Assert.Empty(output);
        Assert.Contains("dlpar platform init", error, StringComparison.Ordinal);
    }
}
