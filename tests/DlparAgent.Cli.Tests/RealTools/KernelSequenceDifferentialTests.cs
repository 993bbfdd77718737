using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>
/// Seeded random sequences run on Linux 6.1 in the real guest and on <c>--platform qemu</c> (QEMU as
/// the firmware, the emulated kernel as the OS) of the same shape: QMP plugs and unplugs of DIMMs,
/// core plugs, writes to <c>/sys/kernel/dlpar</c>, memory blocks and CPUs taken offline and online.
/// Each write's errno must match; after each step both must come to the same state: every memory and
/// CPU connector's ownership, nodes, threads and memory blocks as the OS shows them, the firmware's
/// entity sense of each, QEMU's DIMMs and the raw <c>ibm,dynamic-memory-v2</c>. Differences listed in
/// <see cref="ToolDivergences"/> are expected (and must still differ).
/// </summary>
/// <remarks>Each seed starts from freshly booted machines, so a seed alone reproduces its sequence.</remarks>
[Collection("real guest")]
public sealed class KernelSequenceDifferentialTests
{
    private const int StepsPerSeed = 14;
    private const string DynamicMemory = "/ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2";
    private const uint FirstLmb = 0x80000008;
    private const int Lmbs = 24;
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(20);

    /// <summary>Seeds 1 and 2, or <c>DLPAR_SEQUENCE_SEEDS=FIRST-LAST</c> for a longer campaign by hand.</summary>
    public static TheoryData<int> Seeds()
    {
        string[] range = (Environment.GetEnvironmentVariable("DLPAR_SEQUENCE_SEEDS") ?? "1-2").Split('-');
        int first = int.Parse(range[0], CultureInfo.InvariantCulture), last = int.Parse(range[^1], CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(first, last - first + 1)];
    }

    [GuestCliTheory]
    [MemberData(nameof(Seeds))]
    public void Linux_and_the_emulated_kernel_on_qemu_end_each_step_alike(int seed)
    {
        using var machines = new SequenceMachines();
        var random = new Random(seed);
        var transcript = new StringBuilder();
        for (int step = 1; step <= StepsPerSeed; step++)
        {
            SequenceStep next = Next(machines, random);
            (string real, string ours) = Apply(machines, next);
            transcript.Append(CultureInfo.InvariantCulture, $"{seed}.{step} {next.Describe()}: Linux {real}, ours {ours}\n");
            ToolDivergence? listed = ToolDivergences.For(next.DivergenceKey, ToolAspect.Errno);
            Assert.True(listed is null ? real == ours : real != ours, listed is null
                ? $"the errnos differ and no divergence lists it\n{transcript}\nLinux now:\n{machines.RealObservedOnceSettled(string.Empty, TimeSpan.Zero)}" +
                    $"\nours now:\n{machines.OursObserved()}"
                : $"{listed.Id} no longer holds: remove it from the table\n{transcript}");

            string expected = machines.OursObserved();
            string observed = machines.RealObservedOnceSettled(expected, next.Asynchronous ? SettleTime : TimeSpan.Zero);
            Assert.True(observed == expected, $"the partitions differ after step {seed}.{step}\n{transcript}\n{Difference(observed, expected)}");
        }
    }

    private static SequenceStep Next(SequenceMachines machines, Random random)
    {
        IReadOnlyList<string> dimms = machines.Dimms();
        int kind = random.Next(10);
        if (kind < 2 && dimms.Count < 6)
        {
            return new SequenceStep.PlugMemory(random.Next(2) == 0 ? "256M" : "512M");
        }

        if (kind < 3 && dimms.Count > 0)
        {
            return new SequenceStep.Unplug(dimms[random.Next(dimms.Count)]);
        }

        if (kind < 4 && machines.FreeCores().Count > 0)
        {
            IReadOnlyList<int> free = machines.FreeCores();
            return new SequenceStep.PlugCore(free[random.Next(free.Count)]);
        }

        string lmb = Hex(FirstLmb + (uint)random.Next(Lmbs));
        string cpu = Hex(0x10000000 + (uint)random.Next(8));
        return random.Next(9) switch
        {
            0 => new SequenceStep.Write($"memory add count {random.Next(1, 3)}"),
            1 => new SequenceStep.Write($"memory remove count {random.Next(1, 3)}"),
            2 => new SequenceStep.Write($"memory remove index {lmb}"),
            3 => new SequenceStep.Write($"memory add index {lmb}"),
            4 => new SequenceStep.Write($"memory remove indexed-count 2 {lmb}"),
            5 => new SequenceStep.Write($"cpu {(random.Next(2) == 0 ? "remove" : "add")} index {cpu}"),
            6 => new SequenceStep.Online("memory", (int)(FirstLmb & 0xff) + random.Next(Lmbs), random.Next(2) == 0),
            7 => new SequenceStep.Online("cpu", random.Next(8), random.Next(2) == 0),
            _ => new SequenceStep.Write($"memory remove count {random.Next(1, 3)}"),
        };
    }

    private static (string Real, string Ours) Apply(SequenceMachines machines, SequenceStep step)
    {
        switch (step)
        {
            case SequenceStep.PlugMemory plug:
                string id = machines.RealPlug("memory", "--size", plug.Size);
                machines.OursPlug("memory", "--size", plug.Size, "--id", id);
                return ("0", "0");
            case SequenceStep.PlugCore core:
                string coreId = machines.RealPlug("cpu", "--core-id", core.CoreId.ToString(CultureInfo.InvariantCulture));
                machines.OursPlug("cpu", "--core-id", core.CoreId.ToString(CultureInfo.InvariantCulture), "--id", coreId);
                return ("0", "0");
            case SequenceStep.Unplug unplug:
                return machines.Unplug(unplug.Id);
            case SequenceStep.Write write:
                return (machines.RealWrite("/sys/kernel/dlpar", write.Request), machines.OursKernel("dlpar " + write.Request));
            case SequenceStep.Online online:
                string path = online.Kind == "memory"
                    ? $"/sys/devices/system/memory/memory{online.Number}/state"
                    : $"/sys/devices/system/cpu/cpu{online.Number}/online";
                string value = online.Kind == "memory" ? (online.Up ? "online" : "offline") : (online.Up ? "1" : "0");
                return (machines.RealWrite(path, value), machines.OursKernel($"{online.Kind} {online.Number} {(online.Up ? "online" : "offline")}"));
            default:
                throw new InvalidOperationException(step.ToString());
        }
    }

    private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Difference(string real, string ours)
    {
        string[] a = real.Split('\n'), b = ours.Split('\n');
        return string.Join('\n', Enumerable.Range(0, Math.Max(a.Length, b.Length))
            .Where(i => i >= a.Length || i >= b.Length || a[i] != b[i])
            .Select(i => $"Linux: {(i < a.Length ? a[i] : "-")}\nours:  {(i < b.Length ? b[i] : "-")}"));
    }

    /// <summary>Reduces <c>dlpar list --firmware --json</c> to what is compared, one connector per line.</summary>
    internal static string Connectors(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var lines = new List<string>();
        foreach (JsonElement c in document.RootElement.GetProperty("connectors").EnumerateArray())
        {
            string threads = string.Join(',', c.GetProperty("threads").EnumerateArray()
                .Select(t => $"{t.GetProperty("number").GetInt32()}{(t.GetProperty("online").GetBoolean() ? "+" : "-")}"));
            string blocks = c.TryGetProperty("memory", out JsonElement memory) && memory.ValueKind == JsonValueKind.Object
                ? string.Join(',', memory.GetProperty("blocks").EnumerateArray()
                    .Select(b => $"{b.GetProperty("number").GetInt32()}{(b.GetProperty("online").GetBoolean() ? "+" : "-")}"))
                : string.Empty;
            JsonElement sense = c.GetProperty("sense");
            lines.Add($"{c.GetProperty("name").GetString()} {(c.GetProperty("owned").GetBoolean() ? "owned" : "free")} " +
                $"sense {sense.GetProperty("status").GetInt32()}/{sense.GetProperty("value").GetUInt32()} " +
                $"nodes [{string.Join(' ', c.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}] threads [{threads}] blocks [{blocks}]");
        }

        return string.Join('\n', lines);
    }
}

/// <summary>One step of a sequence; <see cref="DivergenceKey"/> names it in the divergence table without its random numbers.</summary>
internal abstract record SequenceStep
{
    public virtual bool Asynchronous => false;

    public virtual string DivergenceKey => Describe();

    public abstract string Describe();

    public sealed record PlugMemory(string Size) : SequenceStep
    {
        public override bool Asynchronous => true;

        public override string Describe() => $"plug memory {Size}";
    }

    public sealed record PlugCore(int CoreId) : SequenceStep
    {
        public override bool Asynchronous => true;

        public override string Describe() => $"plug cpu core {CoreId}";
    }

    public sealed record Unplug(string Id) : SequenceStep
    {
        public override bool Asynchronous => true;

        public override string Describe() => $"unplug {Id}";
    }

    public sealed record Write(string Request) : SequenceStep
    {
        public override string DivergenceKey => "write " + string.Join(' ', Request.Split(' ').Where(w => !w.StartsWith("0x", StringComparison.Ordinal)));

        public override string Describe() => "write " + Request;
    }

    public sealed record Online(string Kind, int Number, bool Up) : SequenceStep
    {
        public override string DivergenceKey => $"{Kind} {(Up ? "online" : "offline")}";

        public override string Describe() => $"{Kind} {Number} {(Up ? "online" : "offline")}";
    }
}
