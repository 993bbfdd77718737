using System.Globalization;
using System.Text.Json.Serialization;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Formats.Events;

namespace DlparAgent.Cli.Decode;

/// <summary><c>dlpar decode event --json</c> of an rtasd stream: each record's sequence number and log.</summary>
internal sealed record EventStreamDocument(IReadOnlyList<EventRecordDocument> Records);

internal sealed record EventRecordDocument(int Sequence, EventLogDocument Log);

/// <summary>One RTAS event log: the summary word decoded, the extended header's length, each section, and the bytes.</summary>
internal sealed record EventLogDocument(int Length, string Summary, int Version, string Severity, string Disposition, bool ExtendedLogPresent, int Initiator,
    int Target, string Type, string TypeName, uint ExtendedLength, IReadOnlyList<SectionDocument> Sections, string Hex)
{
    public static EventLogDocument From(RtasEventLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        RtasEventSummary s = log.Summary;
        return new EventLogDocument(log.TotalLength, JsonOutput.Hex32(s.Raw), s.Version, EnumWords.Word(s.Severity), EnumWords.Word(s.Disposition),
            s.ExtendedLogPresent, s.Initiator, s.Target, string.Create(CultureInfo.InvariantCulture, $"0x{s.Type:x2}"), RtasEventTypes.Describe(s.Type),
            log.ExtendedLength, [.. log.Sections.Select(SectionDocument.From)], Convert.ToHexStringLower(log.Bytes));
    }
}

/// <summary>A section's common header and, by its kind, its decoded fields (no type field is added: <c>id</c> says which).</summary>
[JsonDerivedType(typeof(MainASectionDocument))]
[JsonDerivedType(typeof(MainBSectionDocument))]
[JsonDerivedType(typeof(HotplugSectionDocument))]
[JsonDerivedType(typeof(EpowSectionDocument))]
[JsonDerivedType(typeof(RawSectionDocument))]
internal abstract record SectionDocument(
    [property: JsonPropertyOrder(-1)] string Id,
    [property: JsonPropertyOrder(-1)] int Length,
    [property: JsonPropertyOrder(-1)] int Version,
    [property: JsonPropertyOrder(-1)] int Subtype,
    [property: JsonPropertyOrder(-1)] int CreatorComponent)
{
    public static SectionDocument From(RtasSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        (string id, int length, int version, int subtype, int creator) = (section.Id, section.Length, section.Version, section.Subtype,
            section.CreatorComponentId);
        return section switch
        {
            MainASection a => new MainASectionDocument(id, length, version, subtype, creator, JsonOutput.Hex32(a.CreationDateBcd),
                JsonOutput.Hex32(a.CreationTimeBcd), a.CreatorId.ToString(), a.SectionCount, JsonOutput.Hex32(a.PlatformLogId)),
            MainBSection b => new MainBSectionDocument(id, length, version, subtype, creator, b.SubsystemId, b.EventSeverity, b.EventSubtype, b.ActionFlags),
            HotplugSection h => new HotplugSectionDocument(id, length, version, subtype, creator, EnumWords.Word(h.Resource), EnumWords.Word(h.Action),
                EnumWords.Word(h.Identifier.Type), h.Transactional)
            {
                Index = h.Identifier.Type is HotplugIdentifierType.Index or HotplugIdentifierType.CountIndexed ? JsonOutput.Hex32(h.Identifier.Index) : null,
                Count = h.Identifier.Type is HotplugIdentifierType.Count or HotplugIdentifierType.CountIndexed ? h.Identifier.Count : null,
                Name = h.Identifier.Name,
                Token = h.Token is { } token ? JsonOutput.Hex32(token) : null,
            },
            EpowSection e => new EpowSectionDocument(id, length, version, subtype, creator, e.ActionCode, EpowSection.DescribeAction(e.ActionCode),
                e.EventModifier, e.ExtendedModifier),
            _ => new RawSectionDocument(id, length, version, subtype, creator, Convert.ToHexStringLower(section.Data)),
        };
    }
}

internal sealed record MainASectionDocument(string Id, int Length, int Version, int Subtype, int CreatorComponent, string CreationDate, string CreationTime,
    string CreatorId, int SectionCount, string Plid) : SectionDocument(Id, Length, Version, Subtype, CreatorComponent);

internal sealed record MainBSectionDocument(string Id, int Length, int Version, int Subtype, int CreatorComponent, int SubsystemId, int EventSeverity,
    int EventSubtype, int ActionFlags) : SectionDocument(Id, Length, Version, Subtype, CreatorComponent);

internal sealed record EpowSectionDocument(string Id, int Length, int Version, int Subtype, int CreatorComponent, int ActionCode, string Action,
    int EventModifier, int ExtendedModifier) : SectionDocument(Id, Length, Version, Subtype, CreatorComponent);

internal sealed record RawSectionDocument(string Id, int Length, int Version, int Subtype, int CreatorComponent, string Data)
    : SectionDocument(Id, Length, Version, Subtype, CreatorComponent);

/// <summary>An HP section: what to add or remove, and by which identifier (only its fields are written).</summary>
internal sealed record HotplugSectionDocument(string Id, int Length, int Version, int Subtype, int CreatorComponent, string Resource, string Action,
    string IdentifierType, bool Transactional) : SectionDocument(Id, Length, Version, Subtype, CreatorComponent)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Index { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Count { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }
}
