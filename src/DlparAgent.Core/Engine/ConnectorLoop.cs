using System.Globalization;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>
/// The engine's connector loop, the same for every resource that works connector by connector:
/// the deadline between connectors, a journal record before and after each, skip-by-count, and a
/// rollback of exactly what was done. Handlers supply the plan and one step that acquires or
/// releases a single connector completely or not at all.
/// </summary>
internal sealed class ConnectorLoop(OperationContext context, ConnectorPlan plan, Func<uint, DlparAction, ConnectorOutcome> step)
{
    private readonly List<ConnectorOutcome> _outcomes = [];
    private readonly Dictionary<uint, int> _outcomeOf = [];
    private readonly List<uint> _done = [];

    public IReadOnlyList<ConnectorOutcome> Outcomes => _outcomes;

    /// <summary>The connectors this request changed and still holds changed, in the order it changed them.</summary>
    public IReadOnlyList<uint> Done => _done;

    /// <summary>A signal or the time limit stopped the loop before the next connector.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>The journal could not be written (a full or failing disk): the loop stopped, and a rollback goes on without it.</summary>
    public bool JournalFailed { get; private set; }

    /// <summary>Called after each connector's step, before it is recorded as settled (a kernel path's tidy-up).</summary>
    public Action<uint>? AfterEach { get; init; }

    /// <summary>Works through the candidates until enough are done; returns the error of a shortfall or an expired deadline.</summary>
    public string? Run()
    {
        DlparAction direction = context.Request.Action;
        if (plan.Grouped)
        {
            context.Journal.Plan(plan.Candidates, direction);
        }

        string? error = null;
        foreach (uint index in plan.Candidates)
        {
            if (_done.Count == plan.Requested)
            {
                break;
            }

            try
            {
                context.CheckDeadline();
            }
            catch (TimeoutException timeout)
            {
                error = timeout.Message;
                Interrupted = true;
                break;
            }
            catch (OperationCanceledException)
            {
                // A signal: the connector in hand was finished; what the plan says about a shortfall applies.
                error = "interrupted";
                Interrupted = true;
                break;
            }

            if (Journaled(() => context.Journal.Connector(index, direction)) is { } unwritable)
            {
                // Intent that is not on disk could not be recovered after a crash: stop before the connector.
                error = $"the journal cannot be written ({unwritable}); stopped before the next connector";
                JournalFailed = true;
                break;
            }

            ConnectorOutcome outcome = step(index, direction);
            AfterEach?.Invoke(index);
            string? unsettled = Journaled(() => context.Journal.Settled(index, outcome.Kind.ToString().ToLowerInvariant()));
            if (outcome.Kind == OutcomeKind.Done)
            {
                _done.Add(index);
            }
            else if (plan.SkipFailures)
            {
                outcome = outcome with { Kind = OutcomeKind.Skipped };
            }

            _outcomeOf[index] = _outcomes.Count;
            _outcomes.Add(outcome);
            if (unsettled is not null)
            {
                error = $"the journal cannot be written ({unsettled}); stopped after {outcome.Name}";
                JournalFailed = true;
                break;
            }
        }

        if (_done.Count < plan.Requested)
        {
            error ??= string.Create(CultureInfo.InvariantCulture,
                $"only {_done.Count} of {plan.Requested} {plan.Noun} could be {(direction == DlparAction.Add ? "added" : "removed")}");
            if (plan.AllOrNothing)
            {
                int reached = _done.Count;
                RollBack();
                if ((Interrupted || JournalFailed) && reached > 0)
                {
                    error += string.Create(CultureInfo.InvariantCulture, $"; the {reached} {plan.Noun} done before it were undone");
                }
            }
        }

        return error;
    }

    /// <summary>Undoes every connector this request changed, journaled like the work; each outcome says whether it was undone.</summary>
    public void RollBack()
    {
        DlparAction undo = context.Request.Action == DlparAction.Add ? DlparAction.Remove : DlparAction.Add;
        if (plan.Grouped)
        {
            Journaled(() => context.Journal.Plan([.. _done], undo));
        }

        foreach (uint index in _done)
        {
            // Without a journal the undo still runs: it returns the connector to where the operation found it.
            Journaled(() => context.Journal.Connector(index, undo));
            ConnectorOutcome undone = step(index, undo);
            Journaled(() => context.Journal.Settled(index, "rolled back"));
            int at = _outcomeOf[index];
            _outcomes[at] = undone.Kind == OutcomeKind.Done
                ? _outcomes[at] with { Kind = OutcomeKind.Skipped, Detail = "rolled back" }
                : _outcomes[at] with { Detail = "could not be rolled back: " + undone.Detail };
        }

        _done.Clear();
    }

    /// <summary>Writes to the journal; returns why it failed (a full disk, an I/O error), or null.</summary>
    private static string? Journaled(Action write)
    {
        try
        {
            write();
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return IoFailures.Describe(error);
        }
    }
}
