using System.Buffers.Binary;
using System.Globalization;
using DlparAgent.Conformance.Tests.Platforms;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Conformance.Tests.Scenarios;

/// <summary>
/// Runs one scenario on one platform and writes down everything observable, one line per step:
/// statuses, sensor values, configure-connector output (offsets included), event bytes (time
/// and PLID blanked), management outcomes. Two platforms agree when their transcripts do.
/// Expectations from the spec are checked as the steps run and collected, not thrown.
/// </summary>
public sealed class ScenarioRun(IReferencePlatform platform, ReferenceMode mode)
{
    public const uint Isolation = 9001;
    public const uint DrIndicator = 9002;
    public const uint Allocation = 9003;
    public const uint EntitySense = 9003;
    public const uint EpowMask = 0x4000_0000;
    public const uint HotplugMask = 0x1000_0000;

    private readonly List<string> _transcript = [];
    private readonly List<string> _failures = [];

    public IReferencePlatform Platform => platform;

    public ReferenceMode Mode => mode;

    public IReadOnlyList<string> Transcript => _transcript;

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>The class mask that carries hotplug events on this machine (EPOW until HP_EVT is negotiated).</summary>
    public uint EventMask => mode is ReferenceMode.Legacy or ReferenceMode.ModernNoHotplugEvents ? EpowMask : HotplugMask;

    public void Note(string line) => _transcript.Add(line);

    public void Expect(bool condition, string what)
    {
        if (!condition)
        {
            _failures.Add($"[{platform.Name}] step {_transcript.Count}: expected {what}; transcript so far ends: {_transcript.LastOrDefault()}");
        }
    }

    public RtasResult Sense(uint index, uint sensor = EntitySense)
    {
        RtasResult result = platform.Rtas.GetSensorState(sensor, index);
        Note(Invariant($"GS({sensor}, 0x{index:x8}) -> {result.Status.Value}, {result.Value}"));
        return result;
    }

    public int Set(uint indicator, uint index, uint value)
    {
        int status = platform.Rtas.SetIndicator(indicator, index, value).Value;
        Note(Invariant($"SI({indicator}, 0x{index:x8}, {value}) -> {status}"));
        return status;
    }

    public uint[]? Raw(string service, uint[] arguments, int resultCount)
    {
        uint[]? rets = platform.RawCall(service, arguments, resultCount);
        string args = string.Join(", ", arguments.Select(a => Invariant($"0x{a:x}")));
        string answer = rets is null ? "no such service" : string.Join(", ", rets.Select(r => unchecked((int)r).ToString(CultureInfo.InvariantCulture)));
        Note($"RAW {service}({args}) nret {resultCount} -> {answer}");
        return rets;
    }

    public static int Status(uint[]? rets) => rets is { Length: > 0 } ? unchecked((int)rets[0]) : int.MinValue;

    /// <summary>One configure-connector call with a fresh work area naming <paramref name="index"/>.</summary>
    public int ConfigureOnce(uint index)
    {
        var workArea = new byte[4096];
        BinaryPrimitives.WriteUInt32BigEndian(workArea, index);
        int status = platform.Rtas.ConfigureConnector(workArea, []).Value;
        Note(Invariant($"CC(0x{index:x8}) -> {(status == 3 ? "3 prop" : Describe(status, workArea))}"));
        return status;
    }

    /// <summary>Configure-connector until done or an error: the statuses in order; the nodes and properties are in the transcript.</summary>
    public List<int> Walk(uint index, int limit = 4096)
    {
        var workArea = new byte[4096];
        BinaryPrimitives.WriteUInt32BigEndian(workArea, index);
        var statuses = new List<int>();
        for (int call = 0; call < limit; call++)
        {
            int status = platform.Rtas.ConfigureConnector(workArea, []).Value;
            statuses.Add(status);
            Note(Invariant($"CC(0x{index:x8}) #{call} -> {Describe(status, workArea)}"));
            if (status is <= 0 or 5)
            {
                break;
            }
        }

        return statuses;
    }

    /// <summary>The first node name a walk produced, from the transcript's last walk.</summary>
    public static string? FirstNode(IEnumerable<string> lines) =>
        lines.Select(l => l.Split(" -> 2 node ", 2)).Where(p => p.Length == 2).Select(p => p[1].Split(' ')[0]).FirstOrDefault();

    /// <summary>check-exception: the status and, when an event came, the event.</summary>
    public (int Status, RtasEventLog? Event) Check(uint mask, int length = 2048)
    {
        var buffer = new byte[length];
        buffer.AsSpan().Fill(0xEE);
        int status = platform.Rtas.CheckException(0x500, 0, mask, buffer).Value;
        RtasEventLog? log = null;
        string text = Invariant($"CE(mask 0x{mask:x8}, len {length}) -> {status}");
        if (status == 0)
        {
            try
            {
                log = RtasEventLog.Read(buffer);
                byte[] bytes = log.ToArray();
                Blank(bytes);
                text += $" {DescribeEvent(log)} [{Convert.ToHexString(bytes)}]";
            }
            catch (Core.Formats.DlparFormatException error)
            {
                text += $" undecodable ({error.Message}) [{Convert.ToHexString(buffer.AsSpan(0, Math.Min(16, length)))}]";
            }
        }
        else
        {
            text += buffer.All(b => b == 0xEE) ? " buffer untouched" : " buffer written";
        }

        Note(text);
        return (status, log);
    }

    /// <summary>check-exception with a claimed buffer length: how many bytes the platform really wrote.</summary>
    public int CheckWritten(uint mask, int claimedLength)
    {
        (int status, byte[] page) = platform.CheckExceptionRaw(mask, claimedLength);
        int written = page.Length;
        while (written > 0 && page[written - 1] == 0xEE)
        {
            written--;
        }

        Note(Invariant($"CE raw(mask 0x{mask:x8}, len {claimedLength}) -> {status}, {written} bytes written"));
        return written;
    }

    public int Scan(uint mask)
    {
        int status = platform.Rtas.EventScan(mask, new byte[2048]).Value;
        Note(Invariant($"ES(mask 0x{mask:x8}) -> {status}"));
        return status;
    }

    /// <summary>Hotplug section of the next event on this machine's hotplug class, as text ("none" when the queue is empty).</summary>
    public string NextHotplug()
    {
        (int status, RtasEventLog? log) = Check(EventMask);
        return status == 0 && log?.FindSection<HotplugSection>() is { } hp ? Describe(hp) : "none";
    }

    public bool Manage(string what, Action operation)
    {
        try
        {
            operation();
            Note($"{what} -> ok");
            return true;
        }
        catch (ManagementRefusedException)
        {
            Note($"{what} -> refused");
            return false;
        }
    }

    public bool PlugMemory(string id, ulong megabytes) => Manage(Invariant($"plug memory {megabytes}M as {id}"), () =>
        platform.PlugMemory(megabytes << 20, id));

    public bool PlugCore(string id, int coreId) => Manage(Invariant($"plug cpu core {coreId} as {id}"), () => platform.PlugCpuCore(coreId, id));

    public bool PlugPci(string id, int phb, int slot, int function = 0, string model = "e1000", bool multifunction = false) =>
        Manage(Invariant($"plug pci {model} {phb}:{slot}.{function} as {id}"), () => platform.PlugPci(phb, slot, function, model, id, multifunction));

    public bool PlugPhb(string id, int index) => Manage(Invariant($"plug phb {index} as {id}"), () => platform.PlugPhb(index, id));

    public bool Unplug(string id) => Manage($"unplug {id}", () => platform.Unplug(id));

    /// <summary>Notes where the DIMMs management still has sit.</summary>
    public IReadOnlyList<string> NoteDimms()
    {
        IReadOnlyList<string> dimms = platform.Dimms();
        Note("dimms " + (dimms.Count == 0 ? "none" : string.Join(' ', dimms)));
        return dimms;
    }

    public void Reset()
    {
        platform.Reset();
        Note("reset");
    }

    /// <summary>Whether the device has gone (QEMU reports PCI deletions asynchronously, so wait a little for a yes).</summary>
    public bool Deleted(string id, bool expectDeleted = true) => Notified("DEVICE_DELETED", id, expectDeleted);

    /// <summary>Whether management was told of a guest's refusal to release the device.</summary>
    public bool GuestRefused(string id, bool expected = true) => Notified("DEVICE_UNPLUG_GUEST_ERROR", id, expected);

    private bool Notified(string name, string id, bool expected)
    {
        bool seen = platform.WaitNotification(name, id, expected ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(200));
        Note($"{name} {id} -> {(seen ? "yes" : "no")}");
        return seen;
    }

    /// <summary>The guest's add sequence for a logical connector: allocate, unisolate, walk.</summary>
    public List<int> AcquireLogical(uint index)
    {
        Set(Allocation, index, 1);
        Set(Isolation, index, 1);
        return Walk(index);
    }

    /// <summary>The guest's release of a logical connector: isolate, then unusable.</summary>
    public void ReleaseLogical(uint index)
    {
        Set(Isolation, index, 0);
        Set(Allocation, index, 0);
    }

    public static string Describe(HotplugSection hp) =>
        $"{hp.Resource.ToString().ToLowerInvariant()} {hp.Action.ToString().ToLowerInvariant()} {hp.Identifier}";

    private static string DescribeEvent(RtasEventLog log) =>
        log.FindSection<HotplugSection>() is { } hp ? "HP " + Describe(hp)
        : log.FindSection<EpowSection>() is { } epow ? Invariant($"EPOW action {epow.ActionCode}")
        : "event without HP or EPOW section";

    /// <summary>Time, date and PLID differ between any two runs: blanked so that the rest can be compared byte for byte.</summary>
    private static void Blank(Span<byte> log)
    {
        if (log.Length >= 0x28)
        {
            log[0x20..0x28].Clear();
        }

        if (log.Length >= 0x44)
        {
            log[0x40..0x44].Clear();
        }
    }

    /// <summary>
    /// A step as Core reads it, with the offsets the platform put in words 2-4 beside it (they are
    /// what K01/K02 are about, so the transcript shows them).
    /// </summary>
    private static string Describe(int status, ReadOnlySpan<byte> workArea)
    {
        if (status is not (ConfigureConnectorStatus.NextChild or ConfigureConnectorStatus.NextProperty))
        {
            return status.ToString(CultureInfo.InvariantCulture);
        }

        ConfigureConnectorStep step;
        try
        {
            step = ConfigureConnectorWorkArea.ReadStep(workArea, status);
        }
        catch (Core.Formats.DlparFormatException error)
        {
            return Invariant($"{status} undecodable ({error.Message})");
        }

        uint nameOffset = BinaryPrimitives.ReadUInt32BigEndian(workArea[8..]);
        return status == ConfigureConnectorStatus.NextChild
            ? Invariant($"2 node {step.Name} (name@{nameOffset})")
            : Invariant($"3 prop {step.Name} (name@{nameOffset} len {step.Value.Length} value@{ValueOffset(workArea)}) = {Convert.ToHexString(
                step.Value.Span)}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Word 4 of a configure-connector work area: the offset of the property's value.</summary>
    private static uint ValueOffset(ReadOnlySpan<byte> workArea) => BinaryPrimitives.ReadUInt32BigEndian(workArea[16..]);
}
