namespace DlparAgent.Core.Engine;

/// <summary>A journal in memory, for tests and for callers that need none on disk; every record counts as durable.</summary>
public sealed class MemoryJournal : IJournal
{
    private readonly List<JournalRecord> _records = [];

    public void Append(JournalRecord record) => _records.Add(record);

    public void Flush()
    {
    }

    public IReadOnlyList<JournalRecord> ReadAll() => [.. _records];

    public void Clear() => _records.Clear();

    public void Compact()
    {
        HashSet<long> ended = [.. _records.Where(r => r.Kind == JournalRecordKind.End).Select(r => r.Operation)];
        _records.RemoveAll(r => ended.Contains(r.Operation));
    }
}
