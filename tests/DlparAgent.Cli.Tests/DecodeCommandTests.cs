using System.Text.Json;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

public class DecodeCommandTests
{
    [Fact]
    public void Fdt_text_lists_every_connector_and_the_lmb_table()
    {
        var (code, output, error) = Run("decode", "fdt", Fixture("qemu/example-cas.dtb"));

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.Contains("DRC connectors: 583 in 4 container nodes", output, StringComparison.Ordinal);
        Assert.Contains("/cpus (ibm,drc-indexes/-names/-types/-power-domains): 8 connectors", output, StringComparison.Ordinal);
        Assert.Contains("  0x10000007  CPU 7  CPU   -1", output, StringComparison.Ordinal);
        Assert.Contains("  0x8000001f  LMB 31  MEM   -1", output, StringComparison.Ordinal);
        Assert.Contains("  0x400100ff  C65791  28    -1", output, StringComparison.Ordinal);
        Assert.Contains("Dynamic memory: /ibm,dynamic-reconfiguration-memory ibm,dynamic-memory-v2", output, StringComparison.Ordinal);
        Assert.Contains("DR connectors 24: 0x80000008..0x8000001f (LMB 8..LMB 31)", output, StringComparison.Ordinal);
        Assert.Contains("         8  0x0000000000000000  0x00000000   0xffffffff  0x0a0 drc-invalid,reserved", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fdt_json_follows_the_documented_schema()
    {
        var (code, output, _) = Run("decode", "fdt", Fixture("qemu/example-cas-drmem-v1.dtb"), "--json");

        Assert.Equal(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement root = document.RootElement;
        Assert.Equal(583, root.GetProperty("connectorCount").GetInt32());
        JsonElement cpus = root.GetProperty("containers").EnumerateArray().Single(c => c.GetProperty("path").GetString() == "/cpus");
        JsonElement first = cpus.GetProperty("connectors")[0];
        Assert.Equal("0x10000000", first.GetProperty("index").GetString());
        Assert.Equal("CPU 0", first.GetProperty("name").GetString());
        Assert.Equal("CPU", first.GetProperty("type").GetString());
        Assert.Equal(-1, first.GetProperty("powerDomain").GetInt32());
        JsonElement memory = root.GetProperty("dynamicMemory");
        Assert.Equal("ibm,dynamic-memory", memory.GetProperty("property").GetString());
        Assert.Equal(1, memory.GetProperty("version").GetInt32());
        Assert.Equal(268435456, memory.GetProperty("lmbSize").GetInt64());
        Assert.Equal(32, memory.GetProperty("lmbCount").GetInt32());
        Assert.Equal(24, memory.GetProperty("dynamic").GetInt32());
        Assert.Equal("0x8000001f", memory.GetProperty("lastIndex").GetString());
        Assert.Equal(2, memory.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public void Fdt_without_drconf_memory_says_so()
    {
        var (code, output, _) = Run("decode", "fdt", Fixture("qemu/example-tcg-nocas.dtb"), "--json");

        Assert.Equal(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("dynamicMemory").ValueKind);
    }

    [Fact]
    public void Fdt_reads_standard_input()
    {
        var (code, output, _) = RunWithInput(File.ReadAllBytes(Fixture("qemu/example-cas.dtb")), "decode", "fdt", "-");

        Assert.Equal(0, code);
        Assert.Contains("Device tree -: 24579 bytes", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_text_decodes_a_hex_dump()
    {
        var (code, output, _) = Run("decode", "event", Fixture("events/qemu-memory-remove-count-indexed.hex"));

        Assert.Equal(0, code);
        Assert.Contains("RTAS event log, 116 bytes: hotplug", output, StringComparison.Ordinal);
        Assert.Contains("section HP (20 bytes, version 1): memory remove count 2 from index 0x80000008, transactional", output, StringComparison.Ordinal);
        Assert.Contains("PLID 0x01000000", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Event_json_decodes_binary_input_from_stdin()
    {
        byte[] binary = DlparAgent.Core.Formats.HexText.Parse(File.ReadAllText(Fixture("events/qemu-memory-add-count-nocas.hex")));

        var (code, output, _) = RunWithInput(binary, "decode", "event", "-", "--json");

        Assert.Equal(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement hp = document.RootElement.GetProperty("sections")[2];
        Assert.Equal("HP", hp.GetProperty("id").GetString());
        Assert.Equal("memory", hp.GetProperty("resource").GetString());
        Assert.Equal("add", hp.GetProperty("action").GetString());
        Assert.Equal("count", hp.GetProperty("identifierType").GetString());
        Assert.Equal(2, hp.GetProperty("count").GetInt32());
        Assert.Equal("0x063460e5", document.RootElement.GetProperty("summary").GetString());
        Assert.Equal(Convert.ToHexStringLower(binary), document.RootElement.GetProperty("hex").GetString());
    }

    [Fact]
    public void Event_reads_an_rtasd_record_stream()
    {
        byte[] log = DlparAgent.Core.Formats.HexText.Parse(File.ReadAllText(Fixture("events/qemu-memory-add-count-nocas.hex")));
        byte[] slot = new byte[2052];
        BitConverter.GetBytes(17).CopyTo(slot, 0);
        log.CopyTo(slot, 4);

        var (code, output, _) = RunWithInput([.. slot, .. slot], "decode", "event", "-");

        Assert.Equal(0, code);
        Assert.Equal(2, output.Split('\n').Count(l => l == "rtasd record, sequence 17:"));
    }

    [Theory]
    [InlineData("memory add count 4", "request: memory add count 4", "kernel:  accepted by /sys/kernel/dlpar as 'memory add count 4'")]
    [InlineData("slot remove name \"U8233.E8B.1000C9P-V1-C3\"", "request: slot remove name U8233.E8B.1000C9P-V1-C3",
        "kernel:  not accepted by /sys/kernel/dlpar (resource 'slot' is not memory, cpu or dt); the agent does this request itself")]
    [InlineData("cpu   add   index 0x10000008", "request: cpu add index 0x10000008",
        "kernel:  not accepted by /sys/kernel/dlpar (empty action: the kernel splits at every single space, so blanks must be single); the agent does this " +
            "request itself")]
    public void Request_prints_the_normalized_form_and_the_kernels_verdict(string text, string first, string second)
    {
        var (code, output, _) = Run("decode", "request", text);

        Assert.Equal(0, code);
        Assert.Equal([first, second, string.Empty], output.Split('\n'));
    }

    [Fact]
    public void Request_json_names_the_target()
    {
        var (code, output, _) = Run("decode", "request", "memory remove indexed-count 4 0x80000010", "--json");

        Assert.Equal(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement target = document.RootElement.GetProperty("target");
        Assert.Equal("indexed-count", target.GetProperty("type").GetString());
        Assert.Equal(4, target.GetProperty("count").GetInt32());
        Assert.Equal("0x80000010", target.GetProperty("index").GetString());
        Assert.True(document.RootElement.GetProperty("kernelAccepts").GetBoolean());
    }

    [Theory]
    [InlineData(65, "dlpar: request: count at offset 17: 'four' is not an unsigned 32-bit number (0x hex, 0 octal or decimal)", "decode", "request",
        "memory add count four")]
    [InlineData(66, "dlpar: /no/such/file.dtb: no such file", "decode", "fdt", "/no/such/file.dtb")]
    [InlineData(64, "dlpar: Unrecognized command or argument '--bogus'", "decode", "fdt", "x.dtb", "--bogus")]
    [InlineData(64, "dlpar: --slot-size must be 0 or at least 12", "decode", "event", "x", "--slot-size", "5")]
    [InlineData(64, "dlpar: Cannot parse argument 'abc' for option '--slot-size' as expected type 'System.Int32'", "decode", "event", "x", "--rtasd",
        "--slot-size", "abc")]
    [InlineData(64, "dlpar: Cannot parse argument '99999999999' for option '--slot-size' as expected type 'System.Int32'", "decode", "event", "x",
        "--rtasd", "--slot-size", "99999999999")]
    public void Errors_are_one_line_on_stderr_with_a_meaningful_exit_code(int expectedCode, string message, params string[] args)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(expectedCode, code);
        Assert.Equal(string.Empty, output);
        Assert.Equal(message, error.Split('\n')[0]);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_trees_and_logs_are_data_errors()
    {
        byte[] tree = File.ReadAllBytes(Fixture("qemu/example-cas.dtb"));

        var (code, _, error) = RunWithInput(tree[..100], "decode", "fdt", "-");
        Assert.Equal(65, code);
        Assert.Equal("dlpar: fdt: totalsize at offset 4: 24579 bytes declared but only 100 present\n", error);

        var (code2, _, error2) = RunWithInput(Utf8("06 34 60 e5 00 00 00 6c 86"), "decode", "event", "-");
        Assert.Equal(65, code2);
        Assert.StartsWith("dlpar: rtas-event: extended log length at offset 4: 108 bytes declared", error2, StringComparison.Ordinal);

        var (code3, output3, error3) = RunWithInput([], "decode", "event", "-");
        Assert.Equal((65, string.Empty), (code3, output3));
        Assert.Equal("dlpar: the input holds no event log and no rtasd record: it is empty\n", error3);
    }

    [Fact]
    public void A_device_with_no_end_is_refused_at_the_cap_not_read_into_memory()
    {
        var (code, output, error) = Run("decode", "fdt", "/dev/zero");

        Assert.Equal((65, string.Empty), (code, output));
        Assert.Equal("dlpar: /dev/zero: more than 256 MiB, larger than any input this command reads\n", error);
    }

    [Theory]
    [InlineData("standard input: more than 256 MiB", "decode", "event", "-")]
    [InlineData("standard input: more than 16 MiB", "request")]
    public void Standard_input_with_no_end_is_refused_at_the_cap(string message, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DlparCli.Run(args, new CliContext(output, error, () => new EndlessStream()));

        Assert.Equal(65, code);
        Assert.StartsWith($"dlpar: {message}, larger than any input this command reads", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A pipe that never ends (<c>&lt; /dev/zero</c>), counting what was taken from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'0', offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
