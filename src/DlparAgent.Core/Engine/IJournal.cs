namespace DlparAgent.Core.Engine;

/// <summary>
/// Where operations record their intent and progress so that one interrupted by a crash can be
/// found and settled. Appending is cheap; a record is durable once <see cref="Flush"/> returns,
/// so callers decide which records must be on disk before the step they announce.
/// </summary>
public interface IJournal
{
    void Append(JournalRecord record);

    /// <summary>Makes every record appended so far durable (one write and one fsync for the lot).</summary>
    void Flush();

    /// <summary>Every record not yet compacted away, oldest first (appended ones not yet flushed included).</summary>
    IReadOnlyList<JournalRecord> ReadAll();

    /// <summary>Drops the records of finished operations.</summary>
    void Compact();

    /// <summary>Drops every record: the caller knows that every operation in the journal has ended.</summary>
    void Clear();
}
