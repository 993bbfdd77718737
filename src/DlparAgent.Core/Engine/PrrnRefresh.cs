using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>What became of one resource a PRRN event named.</summary>
public enum PrrnStatus
{
    /// <summary>Removed and added again: the kernel now has its new associativity.</summary>
    Refreshed,

    /// <summary>Not removed (not owned, not removable, refused): it stays as it was.</summary>
    NotRemoved,

    /// <summary>Removed but not added again: the partition has lost it until someone adds it.</summary>
    NotReadded,
}

public sealed record PrrnOutcome(PrrnEntry Entry, PrrnStatus Status, string? Error);

/// <summary>
/// drmgr <c>-P</c>: after a PRRN event the platform has moved CPUs and LMBs between NUMA domains;
/// each is removed and added again by index so that the kernel reads its new associativity. A
/// resource that cannot be removed is left alone; one that was removed and cannot come back is
/// said loudly (upstream ignores it).
/// </summary>
public static class PrrnRefresh
{
    public static IReadOnlyList<PrrnOutcome> Apply(DlparEngine engine, IEnumerable<PrrnEntry> entries, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(entries);
        var outcomes = new List<PrrnOutcome>();
        foreach (PrrnEntry entry in entries)
        {
            if (cancellation.IsCancellationRequested)
            {
                break;
            }

            var target = new DlparTarget.ByIndex(entry.Index);
            string? removal = Run(engine, new DlparRequest(entry.Resource, DlparAction.Remove, target), cancellation);
            if (removal is not null)
            {
                outcomes.Add(new PrrnOutcome(entry, PrrnStatus.NotRemoved, removal));
                continue;
            }

            // The re-add is not cancelled: a resource half-way through a refresh is brought back.
            string? addition = Run(engine, new DlparRequest(entry.Resource, DlparAction.Add, target), CancellationToken.None);
            outcomes.Add(new PrrnOutcome(entry, addition is null ? PrrnStatus.Refreshed : PrrnStatus.NotReadded, addition));
        }

        return outcomes;
    }

    /// <summary>Null when the request was done in full; otherwise why not.</summary>
    private static string? Run(DlparEngine engine, DlparRequest request, CancellationToken cancellation)
    {
        try
        {
            DlparResult result = engine.Execute(request, cancellation);
            return result.Complete ? null : result.Error ?? string.Join("; ", result.Connectors.Select(c => c.ToString()));
        }
        catch (DlparException refused)
        {
            return refused.Message;
        }
    }
}
