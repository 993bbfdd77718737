using System.Text;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Decode;
using DlparAgent.Cli.Drmgr;
using DlparAgent.Cli.Lsslot;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Formats.Drc;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Requests;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Fuzz;

/// <summary>
/// Every parser that reads outside input: the binary readers of <c>Core/Formats</c> (through the
/// decode commands, which also render what they read), the request grammar, drmgr's and lsslot's
/// argument parsers, the rtasd record codec and the machine-state codec. Their documented refusals
/// are <see cref="DlparAgentException"/>s (drmgr's options: <see cref="FormatException"/>).
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("fdt", "a flattened device tree, decoded and rendered as text and JSON", Fdt),
        new("event", "an RTAS event log or rtasd records (binary or hex text), decoded and rendered", Event),
        new("rtasd", "rtasd's error-log records in 1 KiB slots and packed, both sequence byte orders", Rtasd),
        new("dynamic-memory", "ibm,dynamic-memory, -v2, ibm,lmb-size and ibm,associativity-lookup-arrays values", DynamicMemory),
        new("drc", "ibm,drc-info and the four ibm,drc-* arrays", Drc),
        new("ofdt", "a write to /proc/powerpc/ofdt", Ofdt),
        new("configure-connector", "an ibm,configure-connector work area and status", ConfigureConnector),
        new("request", "a /sys/kernel/dlpar request line", Request),
        new("drmgr-args", "drmgr's command line (arguments separated by NUL or newline)", DrmgrArgs),
        new("lsslot-args", "lsslot's command line (arguments separated by NUL or newline)", LsslotArgs),
        new("machine-state", "the emulated machine's state file", MachineState),
    ];

    public static FuzzTarget Find(string name) => All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"no fuzz target '{name}'; known: {string.Join(", ", All.Select(t => t.Name))}", nameof(name));

    private static void Fdt(byte[] input) => Refusing(() =>
    {
        FdtReport report = FdtReport.Read(input);
        report.WriteText(TextWriter.Null, "fuzz");
        report.WriteJson(TextWriter.Null, "fuzz");
    });

    private static void Event(byte[] input) => Refusing(() =>
    {
        bool littleEndian = input.Length > 0 && (input[^1] & 1) != 0;
        EventReport report = EventReport.Read(input, forceRtasd: false, slotSize: 1024, littleEndian);
        report.WriteText(TextWriter.Null);
        report.WriteJson(TextWriter.Null);
    });

    private static void Rtasd(byte[] input)
    {
        foreach (int slot in new[] { 1024, 0 })
        {
            foreach (bool littleEndian in new[] { false, true })
            {
                Refusing(() => Core.Formats.Events.RtasdRecordCodec.ReadAll(input, slot, littleEndian));
            }
        }
    }

    /// <summary>The first byte picks the property; the rest is its value.</summary>
    private static void DynamicMemory(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        ReadOnlySpan<byte> value = input.AsSpan(1);
        byte[] copy = value.ToArray();
        Refusing(() =>
        {
            _ = (input[0] % 4) switch
            {
                0 => (object)DynamicMemoryV1.Read(copy),
                1 => DynamicMemoryV2.Read(copy),
                2 => LmbSize.Read(copy),
                _ => AssociativityLookupArrays.Read(copy),
            };
        });
    }

    /// <summary>drc-info, then the same bytes split in four at the offsets the first bytes give.</summary>
    private static void Drc(byte[] input)
    {
        Refusing(() => DrcInfo.Read(input));
        if (input.Length < 3)
        {
            return;
        }

        ReadOnlySpan<byte> rest = input.AsSpan(3);
        int a = Math.Min(input[0] * 4, rest.Length), b = Math.Min(a + (input[1] * 4), rest.Length), c = Math.Min(b + (input[2] * 4), rest.Length);
        byte[] indexes = rest[..a].ToArray(), names = rest[a..b].ToArray(), types = rest[b..c].ToArray(), domains = rest[c..].ToArray();
        Refusing(() => DrcArrays.Read(indexes, names, types, domains));
    }

    private static void Ofdt(byte[] input) => Refusing(() => OfdtCodec.Decode(input));

    /// <summary>The first four bytes are the status; the rest, padded to a page, the work area.</summary>
    private static void ConfigureConnector(byte[] input)
    {
        if (input.Length < 4)
        {
            return;
        }

        int status = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(input);
        byte[] area = new byte[ConfigureConnectorWorkArea.Size];
        input.AsSpan(4, Math.Min(input.Length - 4, area.Length)).CopyTo(area);
        Refusing(() => ConfigureConnectorWorkArea.ReadStep(area, status));
    }

    private static void Request(byte[] input) => Refusing(() =>
    {
        ParsedRequest parsed = RequestGrammar.Parse(Encoding.UTF8.GetString(input));
        RequestReport.WriteText(TextWriter.Null, parsed);
        RequestReport.WriteJson(TextWriter.Null, parsed);
    });

    private static void DrmgrArgs(byte[] input)
    {
        try
        {
            DrmgrOptions.Parse(Arguments(input));
        }
        catch (FormatException)
        {
            // drmgr's usage errors.
        }
    }

    /// <summary>The whole lsslot command, against a state directory with no machine: parsing, validation, the refusal.</summary>
    private static void LsslotArgs(byte[] input)
    {
        string directory = Path.Combine(Path.GetTempPath(), "dlpar-fuzz-lsslot-none");
        var context = new CliContext(TextWriter.Null, TextWriter.Null, () => Stream.Null);
        int code = LsslotCommand.Run(Arguments(input), context, directory, "emulated");
        if (code is not (0 or 1 or 255))
        {
            throw new InvalidOperationException($"lsslot exited {code}, not one of its documented codes");
        }
    }

    /// <summary>
    /// A whole state file when it starts with the magic; otherwise a payload, framed here with the
    /// header and the checksum a file carries, so that mutations reach the payload's decoder.
    /// </summary>
    private static void MachineState(byte[] input) => Refusing(() => MachineStateCodec.Decode(
        input.AsSpan().StartsWith("DLPAREMU"u8) ? input : Framed(input), "fuzz"));

    internal static byte[] Framed(byte[] payload)
    {
        byte[] file = new byte[20 + payload.Length + 32];
        "DLPAREMU"u8.CopyTo(file);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(8), MachineStateCodec.FormatVersion);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(file.AsSpan(12), (ulong)payload.Length);
        payload.CopyTo(file, 20);
        System.Security.Cryptography.SHA256.HashData(payload, file.AsSpan(20 + payload.Length));
        return file;
    }

    private static string[] Arguments(byte[] input) =>
        input.Length == 0 ? [] : Encoding.UTF8.GetString(input).Split(['\0', '\n']);

    /// <summary>Runs a parser; the agent's own errors are refusals, everything else escapes as a finding.</summary>
    private static void Refusing(Action parse)
    {
        try
        {
            parse();
        }
        catch (DlparAgentException)
        {
        }
    }
}
