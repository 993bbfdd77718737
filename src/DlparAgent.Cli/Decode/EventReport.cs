using System.Globalization;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Events;
using static DlparAgent.Cli.CommandLine.EnumWords;

namespace DlparAgent.Cli.Decode;

/// <summary><c>dlpar decode event</c>: one RTAS event log, or a stream of rtasd error-log records.</summary>
internal sealed class EventReport
{
    private readonly List<RtasdRecord> _records;
    private readonly bool _isStream;

    private EventReport(List<RtasdRecord> records, bool isStream)
    {
        _records = records;
        _isStream = isStream;
    }

    /// <summary>
    /// Decodes binary or hex-text input. Unless <paramref name="forceRtasd"/>, input that is one
    /// log (optionally zero-padded, as a check-exception buffer is) reads as a log; anything else
    /// as rtasd records in fixed slots (when the length is a multiple of the slot size) or packed.
    /// </summary>
    public static EventReport Read(byte[] input, bool forceRtasd, int slotSize, bool littleEndianSequence)
    {
        byte[] data = HexText.LooksLikeHex(input) ? HexText.Parse(System.Text.Encoding.Latin1.GetString(input)) : input;
        if (data.Length == 0)
        {
            // Nothing to decode is not a decoded nothing: a script reading an empty capture must hear of it.
            throw new CliException(FailureCategory.BadData, "the input holds no event log and no rtasd record: it is empty");
        }

        if (!forceRtasd)
        {
            DlparFormatException? logError = null;
            try
            {
                RtasEventLog log = RtasEventLog.Read(data);
                if (!data.AsSpan(log.TotalLength).ContainsAnyExcept((byte)0))
                {
                    return new EventReport([new RtasdRecord(0, log)], isStream: false);
                }
            }
            catch (DlparFormatException error)
            {
                logError = error;
            }

            try
            {
                return ReadStream(data, slotSize, littleEndianSequence);
            }
            catch (DlparFormatException) when (logError is not null)
            {
                throw logError;
            }
        }

        return ReadStream(data, slotSize, littleEndianSequence);
    }

    private static EventReport ReadStream(byte[] data, int slotSize, bool littleEndianSequence)
    {
        int slots = slotSize > 0 && data.Length % slotSize == 0 ? slotSize : 0;
        return new EventReport(RtasdRecordCodec.ReadAll(data, slots, littleEndianSequence), isStream: true);
    }

    public void WriteText(TextWriter output)
    {
        foreach (RtasdRecord record in _records)
        {
            string indent = string.Empty;
            if (_isStream)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rtasd record, sequence {record.Sequence}:"));
                indent = "  ";
            }

            WriteLog(output, record.Log, indent);
        }
    }

    public void WriteJson(TextWriter output)
    {
        if (!_isStream)
        {
            JsonOutput.Write(output, EventLogDocument.From(_records[0].Log), JsonOutput.Documents.EventLogDocument);
            return;
        }

        JsonOutput.Write(output, new EventStreamDocument([.. _records.Select(r => new EventRecordDocument(r.Sequence, EventLogDocument.From(r.Log)))]),
            JsonOutput.Documents.EventStreamDocument);
    }

    private static void WriteLog(TextWriter output, RtasEventLog log, string indent)
    {
        RtasEventSummary s = log.Summary;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}RTAS event log, {log.TotalLength} bytes: {RtasEventTypes.Describe(s.Type)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{indent}  summary 0x{s.Raw:x8}: version {s.Version}, severity {Word(s.Severity)}, disposition {Word(s.Disposition)}, " +
                $"{(s.ExtendedLogPresent ? "extended log" : "no extended log")}, initiator {s.Initiator}, target {s.Target}, type 0x{s.Type:x2}"));
        if (log.ExtendedHeader is { } header)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{indent}  extended log {log.ExtendedLength} bytes: flags 0x{header.Flags:x2}, format {header.LogFormat}, company " +
                    $"0x{header.CompanyId:x8}{(header.HasSections ? " (IBM platform event log)" : string.Empty)}"));
        }
        else if (s.ExtendedLogPresent)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{indent}  extended log {log.ExtendedLength} bytes (not a version-6 log; kept raw)"));
        }

        foreach (RtasSection section in log.Sections)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{indent}  section {section.Id} ({section.Length} bytes, version {section.Version}): {DescribeSection(section)}"));
        }
    }

    /// <summary>The creation time, or its BCD words when they are not a valid date.</summary>
    private static string Created(MainASection a) => a.CreationTime is { } t
        ? t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"0x{a.CreationDateBcd:x8} 0x{a.CreationTimeBcd:x8}");

    private static string DescribeSection(RtasSection section) => section switch
    {
        MainASection a => string.Create(CultureInfo.InvariantCulture,
            $"created {Created(a)}, creator '{a.CreatorId}', {a.SectionCount} sections, PLID 0x{a.PlatformLogId:x8}"),
        MainBSection b => string.Create(CultureInfo.InvariantCulture,
            $"subsystem 0x{b.SubsystemId:x2}, event severity 0x{b.EventSeverity:x2}, subtype 0x{b.EventSubtype:x2}, action flags 0x{b.ActionFlags:x4}"),
        HotplugSection h => string.Create(CultureInfo.InvariantCulture,
            $"{Word(h.Resource)} {Word(h.Action)} {h.Identifier}, " +
                $"{(h.Transactional ? "transactional" : "not transactional")}{(h.Token is { } token ? $", token 0x{token:x8}" : string.Empty)}"),
        EpowSection e => string.Create(CultureInfo.InvariantCulture,
            $"action {e.ActionCode} ({EpowSection.DescribeAction(e.ActionCode)}), modifier {e.EventModifier}, extended modifier " +
                $"{e.ExtendedModifier}{(e.ReasonCode is { } reason ? $", reason 0x{reason:x16}" : string.Empty)}"),
        _ => $"raw {Convert.ToHexStringLower(section.Data)}",
    };
}
