using DlparAgent.Core.Engine;

namespace DlparAgent.Hosting;

/// <summary>
/// A journal whose every sync first saves the emulated machine (<c>DLPAR_EMULATED_DURABLE</c>): the
/// machine on disk is then never older than the intent the journal holds, so an agent killed
/// between two syncs leaves the machine mid-operation, as firmware and a kernel would be.
/// </summary>
internal sealed class CheckpointingJournal(IJournal inner, Action checkpoint) : IJournal
{
    public void Append(JournalRecord record) => inner.Append(record);

    public void Flush()
    {
        checkpoint();
        inner.Flush();
    }

    public IReadOnlyList<JournalRecord> ReadAll() => inner.ReadAll();

    public void Compact()
    {
        checkpoint();
        inner.Compact();
    }

    public void Clear()
    {
        checkpoint();
        inner.Clear();
    }
}
