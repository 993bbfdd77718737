namespace DlparAgent.Core.Formats.Events;

/// <summary>
/// An RTAS event log: the 8-byte fixed part, and when present the extended log, which for a
/// version-6 platform event log is the 16-byte header followed by sections.
/// </summary>
public sealed class RtasEventLog
{
    public const int FixedPartSize = 8;

    /// <summary>Offset of the first section: fixed part plus the v6 extended header.</summary>
    public const int FirstSectionOffset = FixedPartSize + RtasExtendedHeader.Size;

    private const string Format = "rtas-event";

    private readonly byte[] _bytes;

    private RtasEventLog(byte[] bytes, RtasEventSummary summary, uint extendedLength, RtasExtendedHeader? header, IReadOnlyList<RtasSection> sections)
    {
        _bytes = bytes;
        Summary = summary;
        ExtendedLength = extendedLength;
        ExtendedHeader = header;
        Sections = sections;
    }

    public RtasEventSummary Summary { get; }

    /// <summary>The declared length of the extended log (bytes after the fixed part).</summary>
    public uint ExtendedLength { get; }

    /// <summary>The v6 extended header, or null for a log without one.</summary>
    public RtasExtendedHeader? ExtendedHeader { get; }

    /// <summary>The sections, in order; empty unless the log is an IBM format-14 platform event log.</summary>
    public IReadOnlyList<RtasSection> Sections { get; }

    /// <summary>The log's bytes: fixed part plus extended log when the summary says one is present.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    public int TotalLength => _bytes.Length;

    public T? FindSection<T>()
        where T : RtasSection => Sections.OfType<T>().FirstOrDefault();

    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>
    /// Reads one log from the start of <paramref name="data"/>. Bytes after the log (a padded
    /// check-exception buffer or rtasd slot) are not part of it; <see cref="TotalLength"/> says where it ended.
    /// </summary>
    public static RtasEventLog Read(ReadOnlySpan<byte> data)
    {
        var reader = new BigEndianReader(data, Format);
        var summary = new RtasEventSummary(reader.ReadUInt32("summary word"));
        uint extendedLength = reader.ReadUInt32("extended log length");
        if (!summary.ExtendedLogPresent)
        {
            return new RtasEventLog(data[..FixedPartSize].ToArray(), summary, extendedLength, null, []);
        }

        if (extendedLength > (uint)reader.Remaining)
        {
            throw new DlparFormatException(Format, "extended log length", 4,
                $"{extendedLength} bytes declared but only {reader.Remaining} follow the fixed part");
        }

        byte[] bytes = data[..(FixedPartSize + (int)extendedLength)].ToArray();
        if (summary.Version < 6 || extendedLength < RtasExtendedHeader.Size)
        {
            return new RtasEventLog(bytes, summary, extendedLength, null, []);
        }

        var header = new RtasExtendedHeader(bytes.AsSpan(FixedPartSize, RtasExtendedHeader.Size));
        if (!header.HasSections)
        {
            return new RtasEventLog(bytes, summary, extendedLength, header, []);
        }

        return new RtasEventLog(bytes, summary, extendedLength, header, ReadSections(bytes));
    }

    private static List<RtasSection> ReadSections(byte[] log)
    {
        var sections = new List<RtasSection>();
        var reader = new BigEndianReader(log, Format);
        reader.Seek(FirstSectionOffset, "first section");
        while (!reader.AtEnd)
        {
            int start = reader.Position;
            reader.Skip(2, "section id");
            ushort length = reader.ReadUInt16("section length");
            if (length < RtasSection.HeaderSize)
            {
                // Linux walks by these lengths without a guard; a zero would loop forever.
                throw new DlparFormatException(Format, "section length", start + 2,
                    $"{length} is shorter than the {RtasSection.HeaderSize}-byte section header");
            }

            if (length > log.Length - start)
            {
                throw new DlparFormatException(Format, "section length", start + 2,
                    $"{length} bytes declared but only {log.Length - start} remain in the extended log");
            }

            sections.Add(RtasSection.Create(log.AsSpan(start, length), start));
            reader.Seek(start + length, "next section");
        }

        return sections;
    }

    /// <summary>Wraps bytes already known to be one complete log (used by the builder).</summary>
    internal static RtasEventLog FromExact(byte[] bytes)
    {
        RtasEventLog log = Read(bytes);
        if (log.TotalLength != bytes.Length)
        {
            throw new InvalidOperationException($"built {bytes.Length} bytes but the log declares {log.TotalLength}");
        }

        return log;
    }
}
