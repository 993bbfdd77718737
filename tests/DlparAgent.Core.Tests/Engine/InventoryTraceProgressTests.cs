using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Inventory;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;
using DlparAgent.Core.Tracing;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// The connector inventory agrees with what the partition really owns; the tracing decorators
/// record every call the engine makes, with the exact bytes of kernel writes; progress is
/// reported once at the start and once per settled connector.
/// </summary>
public sealed class InventoryTraceProgressTests
{
    [Theory]
    [InlineData("-", "cpu add count 2")]
    [InlineData("memory,cpu,dt", "cpu add count 2")]
    [InlineData("-", "memory add count 6")]
    [InlineData("memory,cpu,dt", "memory add count 6")]
    [InlineData("memory,cpu,dt", "phb add index 0x20000001")]
    public void The_inventory_owns_exactly_what_the_partition_owns(string kernel, string request)
    {
        var h = new EngineHarness(kernel);
        h.Assign(cores: 2, memory: 2 * MachineProfile.GiB, io: true);
        Assert.True(h.Run(request).Complete);

        var inventory = ConnectorInventory.Read(h.Partition.Kernel);
        HashSet<uint> owned = [.. inventory.Entries.Where(e => e.Owned).Select(e => e.Connector.Index)];
        HashSet<uint> expected = h.Owned();
        expected.IntersectWith(inventory.Entries.Select(e => e.Connector.Index));
        Assert.Equal(expected.Order(), owned.Order());

        foreach (ConnectorEntry cpu in inventory.OfKind(ConnectorKind.Cpu).Where(e => e.Owned))
        {
            Assert.NotEmpty(cpu.Threads);
            Assert.All(cpu.Threads, t => Assert.True(t.Online));
        }

        foreach (ConnectorEntry lmb in inventory.OfKind(ConnectorKind.Memory).Where(e => e.Owned))
        {
            Assert.NotNull(lmb.Memory);
            Assert.Equal((int)(lmb.Memory!.Size / h.Partition.Kernel.ReadMemoryBlockSize()), lmb.Memory.Blocks.Count);
            Assert.All(lmb.Memory.Blocks, b => Assert.True(b.Online));
        }
    }

    [Theory]
    [InlineData(ConnectorKind.Cpu)]
    [InlineData(ConnectorKind.Memory)]
    [InlineData(ConnectorKind.Pci)]
    [InlineData(ConnectorKind.Phb)]
    public void An_inventory_of_one_kind_is_that_kind_of_the_whole_inventory(ConnectorKind kind)
    {
        var h = new EngineHarness("memory,cpu,dt");
        h.Assign(cores: 2, memory: 2 * MachineProfile.GiB, io: true);
        Assert.True(h.Run("memory add count 4").Complete);

        ConnectorEntry[] whole = [.. ConnectorInventory.Read(h.Partition.Kernel).OfKind(kind)];
        ConnectorEntry[] only = [.. ConnectorInventory.Read(h.Partition.Kernel, kind).Entries];

        Assert.NotEmpty(only);
        Assert.All(only, e => Assert.Equal(kind, e.Kind));
        Assert.Equal(whole.Select(Describe), only.Select(Describe));
    }

    [Fact]
    public void An_lmb_missing_one_of_its_blocks_is_not_removable()
    {
        MemoryBlock[] both = [new(8, Online: true, Removable: true), new(9, Online: true, Removable: true)];
        var whole = new MemoryDetails(0x80000000, 0x20000000, null, null, both, BlockSize: 0x10000000, Dynamic: true);

        Assert.True(whole.Removable);
        Assert.Equal(2, whole.BlockCount);
        Assert.Equal(8ul, whole.FirstBlock);
        Assert.False((whole with { Blocks = both[..1] }).Removable);
        Assert.False((whole with { Blocks = [both[0], both[1] with { Removable = false }] }).Removable);
        Assert.False((whole with { Blocks = [], BlockSize = 0 }).Removable);
    }

    private static string Describe(ConnectorEntry e) =>
        $"{e.Connector} {e.Owned} {string.Join(',', e.Nodes)} {string.Join(',', e.Threads)} {e.Memory?.Address} {e.Memory?.Removable} " +
        $"{string.Join(',', e.Slots)} {e.HotplugSlot}";

    [Fact]
    public void Find_takes_names_and_indexes_in_any_C_notation()
    {
        var h = new EngineHarness("memory,cpu,dt");
        var inventory = ConnectorInventory.Read(h.Partition.Kernel);

        Assert.Equal("CPU 2", inventory.Find("0x10000002")!.Connector.Name);
        Assert.Equal("CPU 2", inventory.Find("268435458")!.Connector.Name);
        Assert.Equal(0x80000009u, inventory.Find("LMB 9")!.Connector.Index);
        Assert.Equal(ConnectorKind.Phb, inventory.Find("PHB 1")!.Kind);
        Assert.Null(inventory.Find("LMB 99"));
        Assert.Null(inventory.Find("0x12345678"));
    }

    [Theory]
    [InlineData("-", "cpu add count 1")]
    [InlineData("-", "memory add count 3")]
    [InlineData("memory,cpu,dt", "memory add count 3")]
    [InlineData("memory,cpu,dt", "pci add index 0x40000010")]
    public void The_trace_holds_every_rtas_call_the_engine_counts(string kernel, string request)
    {
        var h = new EngineHarness(kernel);
        h.Assign(cores: 1, memory: 1 * MachineProfile.GiB, io: true);
        var trace = new OperationTrace();
        var engine = new DlparEngine(new TracingRtas(h.Partition.Platform, trace), new TracingKernel(h.Partition.Kernel, trace), h.Journal,
            new EngineOptions { Sleep = _ => { }, RandomSeed = 7, Clock = FixedClock.Default });

        Assert.True(engine.Execute(RequestGrammar.Parse(request).Request).Complete);

        Assert.Equal(engine.LastRtasCalls, trace.Steps.OfType<RtasCallStep>().Count());
        Assert.NotEmpty(trace.Steps.OfType<KernelWriteStep>());
        h.AssertConsistent(request);
    }

    [Fact]
    public void A_userspace_cpu_add_is_acquire_configure_ofdt_online_with_exact_bytes()
    {
        var h = new EngineHarness("-");
        h.Assign(cores: 1);
        var trace = new OperationTrace();
        var engine = new DlparEngine(new TracingRtas(h.Partition.Platform, trace), new TracingKernel(h.Partition.Kernel, trace), h.Journal,
            new EngineOptions { Sleep = _ => { }, Clock = FixedClock.Default });

        Assert.True(engine.Execute(RequestGrammar.Parse("cpu add index 0x10000002").Request).Complete);

        var rtas = trace.Steps.OfType<RtasCallStep>().ToList();
        Assert.Equal(new RtasCallStep(RtasServices.GetSensorState, [DrIndicators.EntitySense, 0x10000002], 0, [DrIndicators.SenseUnusable]).ToString(),
            rtas[0].ToString());
        Assert.Contains(rtas, c => c.Service == RtasServices.SetIndicator && c.Arguments.SequenceEqual([DrIndicators.AllocationState, 0x10000002u,
            DrIndicators.Usable]) && c.Status == 0);
        Assert.Contains(rtas, c => c.Service == RtasServices.SetIndicator && c.Arguments.SequenceEqual([DrIndicators.IsolationState, 0x10000002u,
            DrIndicators.Unisolate]) && c.Status == 0);
        Assert.Equal("configuration complete", rtas.Last(c => c.Service == RtasServices.ConfigureConnector).Note);

        var writes = trace.Steps.OfType<KernelWriteStep>().Select(w => w.Write).ToList();
        OfdtCommand attach = OfdtCodec.Decode(writes[0].Content);
        Assert.Equal(KernelWrites.Ofdt, writes[0].Path);
        Assert.StartsWith("/cpus/", Assert.IsType<OfdtCommand.AddNode>(attach).Path, StringComparison.Ordinal);
        int thread = h.Partition.Kernel.ReadCpuThreads().Single(t => t.PhysicalId == 2).Number;
        Assert.Equal($"/sys/devices/system/cpu/cpu{thread}/online", writes[1].Path);
        Assert.Equal("1"u8.ToArray(), writes[1].Content);

        // Everything the trace says was asked came after the acquire, never before it.
        int acquire = trace.Steps.ToList().FindIndex(s => s is RtasCallStep { Service: RtasServices.SetIndicator });
        int firstWrite = trace.Steps.ToList().FindIndex(s => s is KernelWriteStep);
        Assert.True(acquire < firstWrite);
    }

    [Fact]
    public void A_refused_kernel_write_is_recorded_with_its_errno()
    {
        var h = new EngineHarness("memory,cpu,dt");
        var trace = new OperationTrace();
        var kernel = new TracingKernel(h.Partition.Kernel, trace);

        var error = Assert.Throws<KernelException>(() => kernel.WriteDlpar("memory add count 50"));

        KernelWriteStep step = Assert.Single(trace.Steps.OfType<KernelWriteStep>());
        Assert.Equal(error.Errno.ToString(), step.Error);
        Assert.Equal("write /sys/kernel/dlpar \"memory add count 50\" -> " + error.Errno, step.ToString());
    }

    [Theory]
    [InlineData("-", "memory add count 5", 5)]
    [InlineData("memory,cpu,dt", "memory add count 5", 5)]
    [InlineData("-", "cpu add count 2", 2)]
    [InlineData("-", "memory add index 0x80000008", 1)]
    public void Progress_starts_at_zero_and_ends_with_everything_done(string kernel, string request, int expected)
    {
        var h = new EngineHarness(kernel);
        h.Assign(cores: 2, memory: 2 * MachineProfile.GiB);
        var reports = new Recorder();
        var engine = new DlparEngine(h.Partition.Platform, h.Partition.Kernel, h.Journal, new EngineOptions { Sleep = _ => { }, Clock = FixedClock.Default,
            Progress = reports });

        Assert.True(engine.Execute(RequestGrammar.Parse(request).Request).Complete);

        Assert.Equal(new DlparProgress(RequestGrammar.Parse(request).Request, 0, 0, expected), reports.Values[0]);
        Assert.Equal(expected, reports.Values[^1].Done);
        Assert.Equal(expected, reports.Values[^1].Settled);
        Assert.True(reports.Values.Zip(reports.Values.Skip(1)).All(p => p.First.Settled <= p.Second.Settled && p.First.Done <= p.Second.Done));
    }

    private sealed class Recorder : IProgress<DlparProgress>
    {
        public List<DlparProgress> Values { get; } = [];

        public void Report(DlparProgress value) => Values.Add(value);
    }
}
