using DlparAgent.Core.Engine;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Core.Tests.Engine;

public class EngineFlowTests
{
    public static TheoryData<string, NegotiationMode> Modes => new()
    {
        { "memory,cpu,dt", NegotiationMode.Modern },
        { "", NegotiationMode.Modern },
        { "memory", NegotiationMode.Modern },
        { "-", NegotiationMode.Modern },
        { "-", NegotiationMode.Legacy },
        { "memory,cpu,dt", NegotiationMode.Legacy },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Cpus_are_added_and_removed_by_count_index_and_name(string kernel, NegotiationMode mode)
    {
        var h = new EngineHarness(kernel, p => p with { Negotiation = mode });
        h.Assign(cores: 3);

        DlparResult added = h.Run("cpu add count 2");
        Assert.True(added.Complete, added.Error);
        Assert.Equal(["CPU 2", "CPU 3"], added.Connectors.Select(c => c.Name));
        Assert.Equal(kernel.Contains("cpu", StringComparison.Ordinal) ? "kernel" : kernel == "-" ? "userspace" : "probe", added.Mechanism.Word());

        Assert.True(h.Run("cpu add name \"CPU 4\"").Complete);
        Assert.True(h.Run("cpu remove index 0x10000003").Complete);
        Assert.Equal(6, h.Partition.Kernel.ReadCpuThreads().Count(t => t.Online) + 2);
        h.AssertConsistent("after cpu adds and removes");

        DlparResult removed = h.Run("cpu remove count 2");
        Assert.True(removed.Complete, removed.Error);
        Assert.Equal(["CPU 4", "CPU 2"], removed.Connectors.Select(c => c.Name));
        h.AssertConsistent("after cpu remove by count");
    }

    [Fact]
    public void Smt8_cores_bring_every_thread_online()
    {
        var h = new EngineHarness(string.Empty, p => p with { BootCpus = 8, MaxCpus = 32, Threads = 8 });
        h.Partition.Platform.Management.PlugCpu(8, null, Emulation.Devices.DeviceOrigin.Assigned);

        Assert.True(h.Run("cpu add count 1").Complete);

        Assert.Equal(16, h.Partition.Kernel.ReadCpuThreads().Count(t => t.Online));
        h.AssertConsistent("SMT8 add");
    }

    [Fact]
    public void A_cpu_removal_by_count_keeps_the_last_cpu_and_reports_what_went()
    {
        var h = new EngineHarness(string.Empty);

        DlparResult result = h.Run("cpu remove count 2");

        Assert.Equal((1, "Cannot remove the last CPU: 1 of 2 removed"), (result.Done, result.Error));
        Assert.Equal(["CPU 1"], result.Connectors.Where(c => c.Kind == OutcomeKind.Done).Select(c => c.Name));
        Assert.Equal(1, h.Partition.Kernel.ReadCpuThreads().Count(t => t.Online));
        h.AssertConsistent("cpu remove count 2");
    }

    [Theory]
    [InlineData("cpu remove count 1")]
    [InlineData("cpu remove name \"CPU 0\"")]
    public void The_only_cpu_is_never_removed(string request)
    {
        var h = new EngineHarness(string.Empty, p => p with { BootCpus = 1 });

        var error = Assert.Throws<DlparException>(() => h.Run(request));

        Assert.StartsWith("Cannot remove the last CPU: 1 requested, 1 present", error.Message, StringComparison.Ordinal);
        h.AssertConsistent(request);
    }

    [Theory]
    [InlineData("cpu add index 0x10000000", "CPU 0 (0x10000000) is already present")]
    [InlineData("cpu remove name \"CPU 5\"", "CPU 5 (0x10000005) is not present")]
    [InlineData("cpu add index 0x10000099", "there is no CPU connector with index 0x10000099")]
    [InlineData("memory add index 0x80000099", "there is no LMB connector with index 0x80000099")]
    [InlineData("memory remove count 1", "There is not enough removable memory: 0 LMBs can be removed, 1 requested")]
    [InlineData("pci add index 0x4000ffff", "there is no PCI hotplug slot connector with index 0x4000ffff")]
    [InlineData("phb remove name \"PHB 3\"", "PHB 3 is not present")]
    public void Impossible_requests_are_refused_before_anything_changes(string request, string message)
    {
        var h = new EngineHarness(string.Empty);
        HashSet<uint> before = h.Owned();

        var error = Assert.Throws<DlparException>(() => h.Run(request));

        Assert.Equal(message, error.Message);
        Assert.Equal(before, h.Owned());
        h.AssertConsistent(request);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Memory_is_added_and_removed_all_or_nothing(string kernel, NegotiationMode mode)
    {
        var h = new EngineHarness(kernel, p => p with { Negotiation = mode });
        h.Assign(memory: MachineProfile.GiB);

        DlparResult failed = h.Run("memory add count 5");
        Assert.False(failed.Complete);
        Assert.Equal(0, failed.Done);
        Assert.DoesNotContain(h.Owned(), i => i >= 0x80000000);
        h.AssertConsistent("after a refused add");

        DlparResult added = h.Run("memory add count 4");
        Assert.True(added.Complete, added.Error);
        Assert.Equal([0x80000008u, 0x80000009, 0x8000000a, 0x8000000b], added.Connectors.Select(c => c.Index));
        h.AssertConsistent("after add");

        DlparResult removed = h.Run("memory remove count 2");
        Assert.True(removed.Complete, removed.Error);
        Assert.Equal(2, h.Owned().Count(i => i >= 0x80000000));
        h.AssertConsistent("after remove");

        Assert.True(h.Run("memory remove index 0x" + h.Owned().First(i => i >= 0x80000000).ToString("x")).Complete);
        DlparResult ranged = h.Run("memory add indexed-count 4 0x80000008");
        Assert.True(ranged.Complete, ranged.Error);
        Assert.Equal(4, h.Owned().Count(i => i >= 0x80000000));
        h.AssertConsistent("after index and indexed-count");
    }

    [Fact]
    public void Qemu_dimm_memory_cannot_be_taken_by_count_without_an_unplug_request()
    {
        var h = new EngineHarness(string.Empty);
        h.Partition.Platform.Management.PlugMemory(MachineProfile.GiB);
        h.Partition.Kernel.TakeInterrupts(); // an old kernel logs the event; the service would run the engine
        Assert.True(h.Run("memory add count 4").Complete);

        // QEMU refuses to isolate LMBs of a DIMM nobody asked to unplug (-1): every candidate rolls back.
        DlparResult removed = h.Run("memory remove count 1");

        Assert.Equal(0, removed.Done);
        Assert.All(removed.Connectors, c => Assert.Equal(-1, c.Status!.Value.Value));
        h.AssertConsistent("after QEMU refused");
    }
}
