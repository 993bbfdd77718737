using DlparAgent.Core.Failures;
using DlparAgent.Core.Formats;

namespace DlparAgent.Core.Engine;

/// <summary>
/// The journal holds something recovery cannot read. Recovery does not guess what a damaged record
/// meant: the administrator checks the partition and discards the journal (<c>dlpar recover --discard</c>).
/// </summary>
public sealed class JournalDamagedException(IReadOnlyList<string> problems)
    : DlparAgentException($"the journal cannot be trusted: {string.Join("; ", problems)}; recovery will not guess what it meant: check the " +
        "partition ('dlpar list', 'lsslot'), then 'dlpar recover --discard' drops the journal")
{
    public IReadOnlyList<string> Problems { get; } = problems;

    public override FailureCategory Category => FailureCategory.BadData;

    /// <summary>Throws when a line is damaged, an operation has records but no begin, or a begin's request cannot be read.</summary>
    public static void ThrowIfDamaged(IReadOnlyList<JournalRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var problems = new List<string>();
        foreach (JournalRecord damaged in records.Where(r => r.Kind == JournalRecordKind.Damaged))
        {
            problems.Add($"line {damaged.Operation} is damaged ('{damaged.Text}')");
        }

        HashSet<long> begun = [.. records.Where(r => r.Kind == JournalRecordKind.Begin).Select(r => r.Operation)];
        foreach (long orphan in records.Where(r => r.Kind != JournalRecordKind.Damaged && !begun.Contains(r.Operation)).Select(r => r.Operation)
            .Distinct())
        {
            problems.Add($"operation {orphan} has records but no begin");
        }

        foreach (JournalRecord begin in records.Where(r => r.Kind == JournalRecordKind.Begin))
        {
            try
            {
                _ = Requests.RequestGrammar.Parse(begin.Text);
            }
            catch (DlparFormatException error)
            {
                problems.Add($"operation {begin.Operation} began an unreadable request '{begin.Text}' ({error.Message})");
            }
        }

        if (problems.Count > 0)
        {
            throw new JournalDamagedException(problems);
        }
    }
}
