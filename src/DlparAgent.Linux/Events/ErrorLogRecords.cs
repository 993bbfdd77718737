using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Events;

namespace DlparAgent.Linux.Events;

/// <summary>Decodes one error-log read (sequence number, event log, stale slot bytes) without throwing.</summary>
public static class ErrorLogRecords
{
    public static ErrorLogEntry Decode(byte[] raw, bool bigEndianSequence)
    {
        ArgumentNullException.ThrowIfNull(raw);
        try
        {
            RtasdRecord record = RtasdRecordCodec.ReadRecord(raw, slotSize: 0, littleEndianSequence: !bigEndianSequence, out _);
            return new ErrorLogEntry(record, raw, null);
        }
        catch (DlparFormatException error)
        {
            return new ErrorLogEntry(null, raw, error.Message);
        }
    }
}
