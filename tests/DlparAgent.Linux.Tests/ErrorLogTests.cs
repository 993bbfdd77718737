using System.Buffers.Binary;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Events;
using DlparAgent.Linux.Tests.Support;

namespace DlparAgent.Linux.Tests;

/// <summary>The rtasd error log read as the kernel serves it: one full slot per blocking read, host-endian sequence numbers.</summary>
public sealed class ErrorLogTests : IDisposable
{
    private readonly EmulatedPartition _partition = EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern);
    private readonly FakeRoot _root;
    private readonly FakeNative _native;

    public ErrorLogTests()
    {
        _root = new FakeRoot(_partition);
        _native = new FakeNative(_partition.Platform, _root);
    }

    public void Dispose()
    {
        _native.Dispose();
        _root.Dispose();
    }

    [Fact]
    public void Records_come_out_one_per_read_in_order()
    {
        _native.ErrorLog.Add(Slot(41, PlugEvent(3)));
        _native.ErrorLog.Add(Slot(42, PlugEvent(4)));
        using var log = RtasErrorLog.Open(_root.Paths, _native);

        ErrorLogEntry first = log.ReadNext()!, second = log.ReadNext()!;

        Assert.Equal(41, first.Record!.Sequence);
        Assert.Equal(42, second.Record!.Sequence);
        Assert.Equal(0xE5, (int)(first.Record.Log.Summary.Raw & 0xFF));
        Assert.NotNull(first.Record.Log.FindSection<HotplugSection>());
    }

    [Fact]
    public void A_malformed_record_is_returned_with_its_problem_not_thrown()
    {
        byte[] slot = Slot(7, PlugEvent(3));
        BinaryPrimitives.WriteUInt32BigEndian(slot.AsSpan(8), 60_000); // extended length beyond the record
        _native.ErrorLog.Add(slot);
        _native.ErrorLog.Add(Slot(8, PlugEvent(5)));
        using var log = RtasErrorLog.Open(_root.Paths, _native);

        ErrorLogEntry bad = log.ReadNext()!;
        Assert.False(bad.IsValid);
        Assert.Contains("extended", bad.Problem!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(8, log.ReadNext()!.Record!.Sequence);
    }

    [Fact]
    public async Task A_read_blocks_until_the_kernel_has_a_record()
    {
        using var log = RtasErrorLog.Open(_root.Paths, _native);
        Task<ErrorLogEntry?> reader = Task.Run(log.ReadNext);

        Assert.NotSame(reader, await Task.WhenAny(reader, Task.Delay(200)));
        _native.ErrorLog.Add(Slot(1, PlugEvent(3)));

        ErrorLogEntry? entry = await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, entry!.Record!.Sequence);
    }

    [Fact]
    public void A_missing_error_log_is_a_clear_error()
    {
        File.Delete(_root.Resolve("/proc/powerpc/rtas/error_log"));

        var error = Assert.Throws<LinuxBackendException>(() => RtasErrorLog.Open(_root.Paths, _native));

        Assert.Equal(LinuxProblem.MissingKernelFile, error.Problem);
        Assert.Contains("event-scan", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An event the emulated platform queues for a plugged PCI function.</summary>
    private byte[] PlugEvent(int slot)
    {
        _partition.Platform.Management.PlugPci(0, slot, 0, null, null, DeviceOrigin.Hotplug);
        byte[] buffer = new byte[2048];
        Assert.Equal(RtasStatus.Success, _partition.Platform.CheckException(0x500, 0, DrIndicators.HotplugClassMask, buffer));
        return buffer[..RtasEventLog.Read(buffer).TotalLength];
    }

    /// <summary>A full rtasd slot: little-endian sequence (ppc64le), the log, stale bytes to the slot size.</summary>
    private static byte[] Slot(int sequence, byte[] log)
    {
        byte[] slot = new byte[RtasdRecordCodec.DefaultSlotSize];
        slot.AsSpan().Fill(0xA5);
        BinaryPrimitives.WriteInt32LittleEndian(slot, sequence);
        log.CopyTo(slot, 4);
        return slot;
    }
}
