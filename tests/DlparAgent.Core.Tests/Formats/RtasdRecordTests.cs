using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Tests.Support;

namespace DlparAgent.Core.Tests.Formats;

public class RtasdRecordTests
{
    [Theory]
    [InlineData(RtasdRecordCodec.DefaultSlotSize, true)]
    [InlineData(RtasdRecordCodec.DefaultSlotSize, false)]
    [InlineData(0, true)]
    public void A_stream_of_records_reads_back_in_order(int slotSize, bool littleEndian)
    {
        RtasEventLog add = RtasEventLog.Read(Fixtures.Hex(Fixtures.MemoryAddEvent));
        RtasEventLog remove = RtasEventLog.Read(Fixtures.Hex(Fixtures.MemoryRemoveEvent));
        byte[] stream =
        [
            .. RtasdRecordCodec.WriteRecord(new RtasdRecord(41, add), slotSize, littleEndian),
            .. RtasdRecordCodec.WriteRecord(new RtasdRecord(42, remove), slotSize, littleEndian),
        ];

        List<RtasdRecord> records = RtasdRecordCodec.ReadAll(stream, slotSize, littleEndian);

        Assert.Equal([41, 42], records.Select(r => r.Sequence));
        Assert.Equal(add.ToArray(), records[0].Log.ToArray());
        Assert.Equal(remove.ToArray(), records[1].Log.ToArray());
        Assert.Equal(slotSize == 0 ? 240 : 2 * slotSize, stream.Length);
    }

    [Fact]
    public void The_sequence_number_is_host_endian()
    {
        byte[] record = RtasdRecordCodec.WriteRecord(new RtasdRecord(1, RtasEventLog.Read(Fixtures.Hex(Fixtures.MemoryAddEvent))), 0,
            littleEndianSequence: true);

        Assert.Equal(new byte[] { 1, 0, 0, 0 }, record[..4]);
        Assert.Equal(0x01000000, RtasdRecordCodec.ReadRecord(record, 0, littleEndianSequence: false, out _).Sequence);
    }

    [Fact]
    public void A_short_slot_or_damaged_log_names_the_record()
    {
        byte[] slot = RtasdRecordCodec.WriteRecord(new RtasdRecord(1, RtasEventLog.Read(Fixtures.Hex(Fixtures.MemoryAddEvent))),
            RtasdRecordCodec.DefaultSlotSize, true);
        byte[] stream = [.. slot, .. slot.AsSpan(0, 100)];

        var error = Assert.Throws<DlparFormatException>(() => RtasdRecordCodec.ReadAll(stream, RtasdRecordCodec.DefaultSlotSize, true));

        Assert.StartsWith("record 1", error.Field, StringComparison.Ordinal);
        Assert.Equal(RtasdRecordCodec.DefaultSlotSize, error.Offset);
    }
}
