using DlparAgent.Core.Engine;
using DlparAgent.Core.Requests;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>The engine's connector loop on its own: skip-by-count, the rollback of exactly what was done, the deadline, the journal.</summary>
public sealed class ConnectorLoopTests
{
    private readonly MemoryJournal _journal = new();
    private readonly List<(uint Index, DlparAction Direction)> _steps = [];

    [Fact]
    public void By_count_a_failed_candidate_is_passed_over_and_the_next_one_tried()
    {
        ConnectorLoop loop = Loop(new ConnectorPlan([1, 2, 3, 4, 5], 2) { Noun = "widgets", SkipFailures = true }, failing: [1, 3]);

        Assert.Null(loop.Run());

        Assert.Equal([2u, 4u], loop.Done);
        Assert.Equal([OutcomeKind.Skipped, OutcomeKind.Done, OutcomeKind.Skipped, OutcomeKind.Done], loop.Outcomes.Select(o => o.Kind));
        Assert.Equal([1u, 2u, 3u, 4u], _steps.Select(s => s.Index));
        Assert.Equal(4, _journal.ReadAll().Count(r => r.Kind == JournalRecordKind.Connector));
        Assert.Equal(4, _journal.ReadAll().Count(r => r.Kind == JournalRecordKind.Settled));
    }

    [Fact]
    public void A_shortfall_rolls_back_exactly_what_was_done_when_all_or_nothing()
    {
        ConnectorLoop loop = Loop(new ConnectorPlan([1, 2, 3, 4], 4) { Noun = "widgets", SkipFailures = true, AllOrNothing = true, Grouped = true },
            failing: [3]);

        string? error = loop.Run();

        Assert.Equal("only 3 of 4 widgets could be added", error);
        Assert.Empty(loop.Done);
        Assert.Equal([(1u, DlparAction.Add), (2u, DlparAction.Add), (3u, DlparAction.Add), (4u, DlparAction.Add), (1u, DlparAction.Remove), (2u,
            DlparAction.Remove), (4u, DlparAction.Remove)], _steps);
        Assert.All(loop.Outcomes.Where(o => o.Index != 3), o => Assert.Equal("rolled back", o.Detail));
        Assert.Equal(2, _journal.ReadAll().Count(r => r.Kind == JournalRecordKind.Plan));
        Assert.Equal(["add 00000001+4", "remove 00000001+2 00000004"], _journal.ReadAll().Where(r => r.Kind == JournalRecordKind.Plan).Select(r => r.Text));
    }

    [Fact]
    public void Without_all_or_nothing_what_was_done_stays_done()
    {
        ConnectorLoop loop = Loop(new ConnectorPlan([1, 2], 2) { Noun = "widgets" }, failing: [2]);

        Assert.Equal("only 1 of 2 widgets could be added", loop.Run());

        Assert.Equal([1u], loop.Done);
        Assert.Equal([OutcomeKind.Done, OutcomeKind.Failed], loop.Outcomes.Select(o => o.Kind));
    }

    [Fact]
    public void An_expired_deadline_stops_before_the_next_connector()
    {
        ConnectorLoop loop = Loop(new ConnectorPlan([1, 2], 2) { Noun = "widgets" }, failing: [], deadline: FixedClock.Default.GetUtcNow());

        Assert.Equal("the operation's time limit was reached", loop.Run());

        Assert.Empty(_steps);
        Assert.Empty(loop.Outcomes);
    }

    private ConnectorLoop Loop(ConnectorPlan plan, uint[] failing, DateTimeOffset? deadline = null)
    {
        var engine = new EngineHarness("-");
        var options = new EngineOptions { Clock = FixedClock.Default, Sleep = _ => { } };
        var context = new OperationContext(new RtasCaller(engine.Partition.Platform, options, deadline, CancellationToken.None), engine.Partition.Kernel,
            new OperationJournal(_journal, 1), options, new DlparRequest(DlparResource.Memory, DlparAction.Add,
                new DlparTarget.ByCount((uint)plan.Requested)), PartitionView.Read(engine.Partition.Kernel));
        return new ConnectorLoop(context, plan, (index, direction) =>
        {
            _steps.Add((index, direction));
            bool fails = direction == DlparAction.Add && failing.Contains(index);
            return new ConnectorOutcome(index, $"W{index}", fails ? OutcomeKind.Failed : OutcomeKind.Done, fails ? "refused" : string.Empty);
        });
    }
}
