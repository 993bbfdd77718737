using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>What a journal line says.</summary>
public enum JournalRecordKind
{
    /// <summary>An operation starts: its id and request.</summary>
    Begin,

    /// <summary>Work on one connector starts; the text is its direction, <c>add</c> or <c>remove</c>.</summary>
    Connector,

    /// <summary>A step of that connector completed (acquired, attached, online, kernel write, …); informational.</summary>
    Step,

    /// <summary>The connector ended consistent: fully owned or fully released.</summary>
    Settled,

    /// <summary>The operation ended (normally, or by recovery).</summary>
    End,

    /// <summary>The connectors an operation may work on, in order, with its direction (<see cref="JournalPlan"/>).</summary>
    Plan,

    /// <summary>
    /// Intent for the plan's next group: the connectors before this plan position may have been
    /// started. Work within the horizon needs no record of its own on disk before it starts.
    /// </summary>
    Horizon,

    /// <summary>
    /// Never written: a line the reader could not parse, with its line number as the operation and
    /// its text shown printable. Recovery refuses to guess around it.
    /// </summary>
    Damaged,
}

/// <summary>One line of the journal: <c>kind operation [connector] [text]</c>.</summary>
public sealed record JournalRecord(JournalRecordKind Kind, long Operation, uint Connector, string Text)
{
    /// <summary>A connector record for work in <paramref name="direction"/>.</summary>
    public static JournalRecord ForConnector(long operation, uint index, DlparAction direction) =>
        new(JournalRecordKind.Connector, operation, index, direction == DlparAction.Remove ? "remove" : "add");

    /// <summary>The direction of a connector record (journals of earlier versions wrote the whole request for the kernel path).</summary>
    public DlparAction Direction => Text == "remove" || Text.StartsWith("remove ", StringComparison.Ordinal) || Text.Contains(" remove ",
        StringComparison.Ordinal)
        ? DlparAction.Remove
        : DlparAction.Add;
}
