using System.Globalization;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>
/// One operation's view of the journal. Crash safety stays cheap at scale: an operation that
/// works through many connectors records its plan once, then intent for the next
/// <see cref="GroupSize"/> connectors at a time (<see cref="JournalRecordKind.Horizon"/>), so
/// one fsync covers a whole group; recovery reconciles the group that was in flight from the
/// platform's sensors and the kernel's state. Work on a connector outside the plan (a single
/// connector, a rollback) is on disk before it starts and once it is settled, as before.
/// </summary>
/// <remarks>The optional observer sees each settlement once it is recorded (progress display).</remarks>
public sealed class OperationJournal(IJournal journal, long operation, Action<uint, string>? settled = null)
{
    /// <summary>Planned connectors per fsync: 65,536 LMBs take 256 syncs.</summary>
    public const int GroupSize = 256;

    private Dictionary<uint, int>? _planPositions;
    private DlparAction _planDirection;
    private int _horizon;

    public long Operation { get; } = operation;

    /// <summary>Records, durably, the connectors the operation may work on, in the order it will try them.</summary>
    public void Plan(IReadOnlyList<uint> indexes, DlparAction direction)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        _planPositions = new Dictionary<uint, int>(indexes.Count);
        for (int position = 0; position < indexes.Count; position++)
        {
            _planPositions.TryAdd(indexes[position], position);
        }

        _planDirection = direction;
        _horizon = 0;
        journal.Append(new JournalRecord(JournalRecordKind.Plan, Operation, 0, JournalPlan.Format(direction, indexes)));
        journal.Flush();
    }

    /// <summary>Work on a connector starts: durable before it does, as part of its group when planned.</summary>
    public void Connector(uint index, DlparAction direction)
    {
        if (Planned(index, direction) is { } position)
        {
            if (position < _horizon)
            {
                journal.Append(JournalRecord.ForConnector(Operation, index, direction));
                return;
            }

            _horizon = position + GroupSize;
            journal.Append(new JournalRecord(JournalRecordKind.Horizon, Operation, 0, _horizon.ToString(CultureInfo.InvariantCulture)));
        }

        journal.Append(JournalRecord.ForConnector(Operation, index, direction));
        journal.Flush();
    }

    public void Step(uint index, string step) => journal.Append(new JournalRecord(JournalRecordKind.Step, Operation, index, step));

    public void Settled(uint index, string how)
    {
        journal.Append(new JournalRecord(JournalRecordKind.Settled, Operation, index, how));
        if (_planPositions?.ContainsKey(index) != true)
        {
            journal.Flush();
        }

        settled?.Invoke(index, how);
    }

    private int? Planned(uint index, DlparAction direction) =>
        direction == _planDirection && _planPositions is not null && _planPositions.TryGetValue(index, out int position) ? position : null;
}
