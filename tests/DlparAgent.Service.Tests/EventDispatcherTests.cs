using System.Buffers.Binary;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Inventory;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Events;
using DlparAgent.Service.Events;
using DlparAgent.Service.Platforms;
using Microsoft.Extensions.Logging.Abstractions;
using DlparAgent.Hosting;

namespace DlparAgent.Service.Tests;

/// <summary>The dispatcher in process over an emulated machine: every identifier type, EPOW, malformed and unknown records, failure signalling.</summary>
public sealed class EventDispatcherTests : IDisposable
{
    private static readonly RtasEventStamp Stamp = new(new DateTime(2026, 11, 24, 1, 2, 3, DateTimeKind.Utc), 7);
    private readonly Machine _machine = new(new MachineProfile { BootCpus = 1, BootPhbs = 1, Memory = 2 * MachineProfile.GiB,
        MaxMemory = 8 * MachineProfile.GiB }, kernelDlpar: "dt");
    private readonly EmulatedServicePlatform _platform;
    private readonly EventDispatcher _dispatcher;
    private readonly ListLogger _log = new();

    public EventDispatcherTests()
    {
        _platform = new EmulatedServicePlatform(AgentHost.Resolve("dlpard", "emulated", _machine.StateDirectory, AgentEnvironment.From(_ => null),
            TextWriter.Null), NullLogger.Instance);
        _dispatcher = new EventDispatcher(_platform, _log);
    }

    public void Dispose() => _machine.Dispose();

    [Fact]
    public void Kernel_logged_events_drain_in_order_and_are_executed()
    {
        _machine.Change(p =>
        {
            p.Platform.Management.PlugPci(0, 3, 0, null, null, DeviceOrigin.Hotplug);
            p.Platform.Management.PlugMemory(MachineProfile.GiB, 0, null, DeviceOrigin.Hotplug);
        });

        List<ErrorLogEntry> entries = _platform.Drain();
        EventOutcome[] outcomes = [.. entries.Select(_dispatcher.Handle)];

        Assert.Equal(2, entries.Count);
        Assert.True(entries[0].Record!.Sequence < entries[1].Record!.Sequence);
        Assert.All(outcomes, o => Assert.Equal(EventDisposition.Done, o.Kind));
        Assert.Equal(4, _machine.Read(p => ConnectorInventory.Read(p.Kernel).OfKind(ConnectorKind.Memory).Count(e => e.Owned)));
        Assert.Empty(_platform.Drain());
    }

    [Theory]
    [InlineData(HotplugIdentifierType.Name)]
    [InlineData(HotplugIdentifierType.Index)]
    public void Names_and_indexes_both_identify_a_cpu(HotplugIdentifierType type)
    {
        _machine.Change(p => p.Platform.Management.PlugCpu(1, null, DeviceOrigin.Assigned));
        HotplugIdentifier id = type == HotplugIdentifierType.Name ? HotplugIdentifier.ByName("CPU 1") : HotplugIdentifier.ByIndex(0x10000001);

        EventOutcome outcome = _dispatcher.Handle(Entry(3, RtasEventBuilder.Hotplug(HotplugResource.Cpu, HotplugAction.Add, id, Stamp).ToArray()));

        Assert.Equal(EventDisposition.Done, outcome.Kind);
        Assert.True(_machine.Read(p => ConnectorInventory.Read(p.Kernel).Find("CPU 1")!.Owned));
    }

    [Fact]
    public void A_count_indexed_memory_event_is_executed_as_one_request()
    {
        _machine.Change(p => p.Platform.Management.PlugMemory(MachineProfile.GiB, 0, null, DeviceOrigin.Assigned));

        EventOutcome outcome = _dispatcher.Handle(Entry(4, RtasEventBuilder.Hotplug(HotplugResource.Memory, HotplugAction.Add,
            HotplugIdentifier.ByCountIndexed(2, 0x80000009), Stamp).ToArray()));

        Assert.Equal((EventDisposition.Done, "2 of 2 done"), (outcome.Kind, outcome.Description));
        Assert.Equal(["LMB 10", "LMB 9"],
            _machine.Read(p => ConnectorInventory.Read(p.Kernel).OfKind(ConnectorKind.Memory).Where(e => e.Owned).Select(e =>
                e.Connector.Name).Order().ToArray()));
    }

    [Fact]
    public void Epow_pmem_unknown_and_malformed_records_are_logged_and_skipped()
    {
        byte[] epow = RtasEventBuilder.Epow(Stamp, actionCode: 3).ToArray();
        byte[] pmem = RtasEventBuilder.Hotplug(HotplugResource.Pmem, HotplugAction.Add, HotplugIdentifier.ByIndex(0x90000000), Stamp).ToArray();
        byte[] unknown = (byte[])epow.Clone();
        unknown[3] = 0xE0; // a platform error, with no EP section read as such
        byte[] bad = RtasEventBuilder.Hotplug(HotplugResource.Pci, HotplugAction.Add, HotplugIdentifier.ByIndex(1), Stamp).ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bad.AsSpan(4), 9999);

        Assert.Equal(EventDisposition.Epow, _dispatcher.Handle(Entry(1, epow)).Kind);
        Assert.Contains(_log.Messages, m => m.StartsWith("Event 1: EPOW action 3", StringComparison.Ordinal));
        Assert.Equal(EventDisposition.Skipped, _dispatcher.Handle(Entry(2, pmem)).Kind);
        Assert.Equal(EventDisposition.Malformed, _dispatcher.Handle(Entry(3, bad)).Kind);
        Assert.Equal(EventDisposition.Malformed, _dispatcher.Handle(new ErrorLogEntry(null, [1, 2, 3], "short")).Kind);
        Assert.NotEqual(EventDisposition.Done, _dispatcher.Handle(Entry(4, unknown)).Kind);
    }

    [Fact]
    public void A_request_naming_nothing_fails_without_throwing()
    {
        EventOutcome outcome = _dispatcher.Handle(Entry(5, RtasEventBuilder.Hotplug(HotplugResource.Pci, HotplugAction.Add,
            HotplugIdentifier.ByIndex(0x40000999), Stamp).ToArray()));

        Assert.Equal(EventDisposition.Failed, outcome.Kind);
    }

    [Fact]
    public void A_refused_removal_is_signalled_by_unisolating_the_connector()
    {
        // The boot CPU cannot go: the platform must see the removal fail.
        EventOutcome outcome = _dispatcher.Handle(Entry(6, RtasEventBuilder.Hotplug(HotplugResource.Cpu, HotplugAction.Remove,
            HotplugIdentifier.ByIndex(0x10000000), Stamp).ToArray()));

        Assert.Equal(EventDisposition.Failed, outcome.Kind);
        Assert.Contains("Event 6: signalled the failure to the platform by unisolating 0x10000000", _log.Messages);
        Assert.Equal(DrcState.LogicalConfigured, _machine.Read(p => p.Platform.State.Connectors.Single(c => c.Index == 0x10000000).State));
        Assert.True(_machine.Read(p => ConnectorInventory.Read(p.Kernel).Find("CPU 0")!.Owned));
    }

    private static ErrorLogEntry Entry(int sequence, byte[] log)
    {
        byte[] slot = new byte[RtasdRecordCodec.DefaultSlotSize];
        BinaryPrimitives.WriteInt32LittleEndian(slot, sequence);
        log.CopyTo(slot, 4);
        return ErrorLogRecords.Decode(slot, bigEndianSequence: false);
    }
}
