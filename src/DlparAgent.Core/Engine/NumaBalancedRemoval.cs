namespace DlparAgent.Core.Engine;

/// <summary>
/// drmgr's NUMA-balanced choice of LMBs to remove by count (powerpc-utils 1.3.8 and later): LMBs of
/// CPU-less nodes first, in proportion to each node's share of them; then nodes with CPUs, the node
/// with the smallest weight (nine parts CPU share, one part memory share) first, each down to its
/// weighted share of what remains. Within a node the highest DRC index goes first. An LMB the kernel
/// refuses is not tried again; the rounds repeat while they make progress.
/// </summary>
internal sealed class NumaBalancedRemoval
{
    private readonly List<NodeLmbs> _nodes;

    /// <param name="lmbs">The candidates: DRC index and node.</param>
    /// <param name="cpusPerNode">Hardware threads per node.</param>
    public NumaBalancedRemoval(IEnumerable<(uint Index, int Node)> lmbs, IReadOnlyDictionary<int, int> cpusPerNode)
    {
        _nodes = [.. lmbs.GroupBy(l => l.Node)
            .OrderBy(g => g.Key)
            .Select(g => new NodeLmbs(g.Key, cpusPerNode.GetValueOrDefault(g.Key), new Queue<uint>(g.Select(l => l.Index).OrderDescending())))];
    }

    /// <summary>Removes up to <paramref name="count"/> LMBs, each through <paramref name="tryRemove"/>; returns how many went.</summary>
    public int Remove(int count, Func<uint, bool> tryRemove)
    {
        ArgumentNullException.ThrowIfNull(tryRemove);
        int done = FromCpulessNodes(count, tryRemove);
        return done + FromCpuNodes(count - done, tryRemove);
    }

    private int FromCpulessNodes(int total, Func<uint, bool> tryRemove)
    {
        int done = 0;
        int count = total;
        while (count > 0)
        {
            List<NodeLmbs> nodes = [.. _nodes.Where(n => n.Cpus == 0 && n.Lmbs.Count > 0)];
            int available = nodes.Sum(n => n.Lmbs.Count);
            count = Math.Min(count, available);
            if (count == 0)
            {
                break;
            }

            int thisRound = 0;
            foreach (NodeLmbs node in nodes)
            {
                int share = node.Lmbs.Count * 100 / available;
                int todo = Math.Min(count * share / 100, node.Lmbs.Count);
                if (todo == 0)
                {
                    // A share rounded down to nothing takes what the round still lacks.
                    todo = count - thisRound;
                }

                int removed = todo > 0 ? node.Remove(todo, tryRemove) : 0;
                thisRound += removed;
                done += removed;
                if (done >= total)
                {
                    break;
                }
            }

            if (thisRound == 0)
            {
                break;
            }

            count -= thisRound;
        }

        return done;
    }

    private int FromCpuNodes(int total, Func<uint, bool> tryRemove)
    {
        int done = 0;
        int count = total;
        while (count > 0)
        {
            List<NodeLmbs> nodes = [.. _nodes.Where(n => n.Cpus > 0 && n.Lmbs.Count > 0)];
            int lmbs = nodes.Sum(n => n.Lmbs.Count);
            int cpus = nodes.Sum(n => n.Cpus);
            count = Math.Min(count, lmbs);
            if (count == 0)
            {
                break;
            }

            int remaining = lmbs - count;
            int thisRound = 0;
            foreach ((NodeLmbs node, int weight) in nodes
                .Select(n => (Node: n, Weight: (n.Cpus * 100 / cpus * 9 + n.Lmbs.Count * 100 / lmbs) / 10))
                .OrderBy(p => p.Weight)
                .ThenByDescending(p => p.Node.Id))
            {
                int keep = Math.Min(remaining * weight / 100, node.Lmbs.Count);
                int todo = Math.Min(count, node.Lmbs.Count - keep);
                if (todo > 0)
                {
                    int removed = node.Remove(todo, tryRemove);
                    count -= removed;
                    thisRound += removed;
                }

                if (count == 0)
                {
                    break;
                }
            }

            if (thisRound == 0)
            {
                break;
            }

            done += thisRound;
        }

        return done;
    }

    private sealed record NodeLmbs(int Id, int Cpus, Queue<uint> Lmbs)
    {
        /// <summary>Tries the node's next LMBs until <paramref name="todo"/> went or none is left; a tried LMB is dropped either way.</summary>
        public int Remove(int todo, Func<uint, bool> tryRemove)
        {
            int removed = 0;
            while (removed < todo && Lmbs.TryDequeue(out uint index))
            {
                if (tryRemove(index))
                {
                    removed++;
                }
            }

            return removed;
        }
    }
}
