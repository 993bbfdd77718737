using DlparAgent.Core.Engine;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// For each flow, every journal sync fails in turn (a full or failing disk): the operation stops
/// or ends with every connector fully owned or fully released and an honest total, never with an
/// unhandled exception after a change; what the journal holds, recovery then settles.
/// </summary>
public class JournalFailureSweepTests
{
    [Theory]
    [MemberData(nameof(FaultSweepTests.Flows), MemberType = typeof(FaultSweepTests))]
    public void Every_journal_sync_failing_in_turn_leaves_a_consistent_partition(string kernel, string request, string setup)
    {
        EngineHarness counting = FaultSweepTests.Prepared(kernel, setup);
        var countingJournal = new FailingJournal(counting.Journal, int.MaxValue);
        Assert.True(new DlparEngine(counting.Partition.Platform, counting.Partition.Kernel, countingJournal, new EngineOptions { Sleep = _ => { } })
            .Execute(RequestGrammar.Parse(request).Request).Complete);

        for (int k = 0; k < countingJournal.Syncs; k++)
        {
            EngineHarness h = FaultSweepTests.Prepared(kernel, setup);
            HashSet<uint> before = h.Owned();
            var journal = new FailingJournal(h.Journal, k);
            var engine = new DlparEngine(h.Partition.Platform, h.Partition.Kernel, journal, new EngineOptions { Sleep = _ => { } });
            string context = $"{request} on kernel '{kernel}' with sync {k} failing";

            DlparResult? result = null;
            try
            {
                result = engine.Execute(RequestGrammar.Parse(request).Request);
            }
            catch (IOException)
            {
                // Only before anything changed: after a change the operation reports, it does not throw.
                Assert.True(before.SetEquals(h.Owned()), $"{context}: the failure escaped after the partition changed");
            }

            if (result is not null)
            {
                h.AssertConsistent(context, new MemoryJournal());
                int changed = before.Except(h.Owned()).Count() + h.Owned().Except(before).Count();
                Assert.True(result.Done == changed, $"{context}: reported {result.Done} done but {changed} connectors changed");
                Assert.True(result.Complete || result.Error is not null, $"{context}: a shortfall without an error");
            }

            journal.Heal();
            engine.Recover();
            h.AssertConsistent(context + ", then recovered");
        }
    }

    /// <summary>A journal whose Nth sync (and every one after it, as a full disk does) fails.</summary>
    private sealed class FailingJournal(IJournal inner, int failFrom) : IJournal
    {
        private bool _healed;

        public int Syncs { get; private set; }

        public void Heal() => _healed = true;

        public void Append(JournalRecord record) => inner.Append(record);

        public void Flush()
        {
            if (!_healed && Syncs++ >= failFrom)
            {
                throw new IOException("No space left on device : '/var/lib/dlpar-agent/journal'", 28);
            }

            inner.Flush();
        }

        public IReadOnlyList<JournalRecord> ReadAll() => inner.ReadAll();

        public void Compact() => inner.Compact();

        public void Clear()
        {
            if (!_healed && Syncs >= failFrom)
            {
                throw new IOException("No space left on device : '/var/lib/dlpar-agent/journal'", 28);
            }

            inner.Clear();
        }
    }
}
