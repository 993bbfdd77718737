namespace DlparAgent.Core.Engine;

/// <summary>
/// Where operations record their intent and progress so that one interrupted by a crash can be
/// found and settled. Every record is durable when the call returns.
/// </summary>
public interface IJournal
{
    void Append(JournalRecord record);

    /// <summary>Every record not yet compacted away, oldest first.</summary>
    IReadOnlyList<JournalRecord> ReadAll();

    /// <summary>Drops the records of finished operations.</summary>
    void Compact();
}
