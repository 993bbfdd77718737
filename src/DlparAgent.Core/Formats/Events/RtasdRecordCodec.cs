using System.Buffers.Binary;

namespace DlparAgent.Core.Formats.Events;

/// <summary>
/// The rtasd error-log record stream: each record is a host-endian 4-byte sequence number and an
/// event log. The kernel returns every record in a fixed slot of <c>rtas-error-log-max + 4</c> bytes
/// (the rest of the slot is stale); packed streams (slot size 0) carry no padding.
/// </summary>
public static class RtasdRecordCodec
{
    /// <summary>The kernel's cap on <c>rtas-error-log-max</c> (RTAS_ERROR_LOG_MAX).</summary>
    public const int MaxErrorLogSize = 2048;

    /// <summary>Slot size for the usual <c>rtas-error-log-max</c> of 2048.</summary>
    public const int DefaultSlotSize = MaxErrorLogSize + 4;

    private const string Format = "rtasd-record";

    /// <summary>Reads one record from the start of <paramref name="data"/> and says how many bytes it used.</summary>
    /// <param name="data">The bytes of one or more records.</param>
    /// <param name="slotSize">Bytes per record, or 0 for a packed stream.</param>
    /// <param name="littleEndianSequence">Byte order of the sequence number (the producing host's).</param>
    /// <param name="consumed">Bytes the record occupied.</param>
    public static RtasdRecord ReadRecord(ReadOnlySpan<byte> data, int slotSize, bool littleEndianSequence, out int consumed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slotSize);
        if (slotSize != 0 && slotSize < 4 + RtasEventLog.FixedPartSize)
        {
            throw new ArgumentOutOfRangeException(nameof(slotSize), slotSize, "a slot must hold a sequence number and a fixed part");
        }

        if (data.Length < 4)
        {
            throw new DlparFormatException(Format, "sequence number", 0, $"needs 4 bytes but only {data.Length} are present");
        }

        int sequence = littleEndianSequence ? BinaryPrimitives.ReadInt32LittleEndian(data) : BinaryPrimitives.ReadInt32BigEndian(data);
        ReadOnlySpan<byte> body = slotSize == 0 ? data[4..] : data[4..Math.Min(data.Length, slotSize)];
        if (slotSize != 0 && data.Length < slotSize)
        {
            throw new DlparFormatException(Format, "record slot", 0, $"a slot is {slotSize} bytes but only {data.Length} are present");
        }

        RtasEventLog log;
        try
        {
            log = RtasEventLog.Read(body);
        }
        catch (DlparFormatException error)
        {
            throw new DlparFormatException(error.Format, error.Field, 4 + Math.Max(0, error.Offset), error.Detail);
        }

        consumed = slotSize == 0 ? 4 + log.TotalLength : slotSize;
        return new RtasdRecord(sequence, log);
    }

    /// <summary>Reads every record of a stream.</summary>
    public static List<RtasdRecord> ReadAll(ReadOnlySpan<byte> data, int slotSize, bool littleEndianSequence)
    {
        var records = new List<RtasdRecord>();
        int offset = 0;
        while (offset < data.Length)
        {
            try
            {
                records.Add(ReadRecord(data[offset..], slotSize, littleEndianSequence, out int consumed));
                offset += consumed;
            }
            catch (DlparFormatException error)
            {
                throw new DlparFormatException(error.Format, $"record {records.Count}: {error.Field}", offset + Math.Max(0, error.Offset), error.Detail);
            }
        }

        return records;
    }

    /// <summary>Writes one record (into a zero-padded slot unless <paramref name="slotSize"/> is 0).</summary>
    public static byte[] WriteRecord(RtasdRecord record, int slotSize, bool littleEndianSequence)
    {
        ArgumentNullException.ThrowIfNull(record);
        int length = 4 + record.Log.TotalLength;
        if (slotSize != 0 && length > slotSize)
        {
            throw new ArgumentException($"a {record.Log.TotalLength}-byte log does not fit a {slotSize}-byte slot", nameof(record));
        }

        byte[] bytes = new byte[slotSize == 0 ? length : slotSize];
        if (littleEndianSequence)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, record.Sequence);
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes, record.Sequence);
        }

        record.Log.Bytes.CopyTo(bytes.AsSpan(4));
        return bytes;
    }
}
