namespace DlparAgent.Core.Engine;

/// <summary>What a journal line says.</summary>
public enum JournalRecordKind
{
    /// <summary>An operation starts: its id and request.</summary>
    Begin,

    /// <summary>Work on one connector starts.</summary>
    Connector,

    /// <summary>A step of that connector completed (acquired, attached, online, kernel write, …).</summary>
    Step,

    /// <summary>The connector ended consistent: fully owned or fully released.</summary>
    Settled,

    /// <summary>The operation ended (normally, or by recovery).</summary>
    End,
}

/// <summary>One line of the journal: <c>kind operation [connector] [text]</c>.</summary>
public sealed record JournalRecord(JournalRecordKind Kind, long Operation, uint Connector, string Text);
