namespace DlparAgent.Core.Engine;

/// <summary>One operation's view of the journal: which connector it works on, each step, and when it is settled.</summary>
/// <remarks>The optional observer sees each settlement after it is durable (progress display).</remarks>
public sealed class OperationJournal(IJournal journal, long operation, Action<uint, string>? settled = null)
{
    public long Operation { get; } = operation;

    public void Connector(uint index, string action) => journal.Append(new JournalRecord(JournalRecordKind.Connector, Operation, index, action));

    public void Step(uint index, string step) => journal.Append(new JournalRecord(JournalRecordKind.Step, Operation, index, step));

    public void Settled(uint index, string how)
    {
        journal.Append(new JournalRecord(JournalRecordKind.Settled, Operation, index, how));
        settled?.Invoke(index, how);
    }
}
