using DlparAgent.Core.Engine;

namespace DlparAgent.Core.Tests.Engine;

public sealed class NumaBalancedRemovalTests
{
    [Fact]
    public void One_node_gives_its_highest_indexes_first_and_a_refused_lmb_is_passed_over()
    {
        var tried = new List<uint>();
        var removal = new NumaBalancedRemoval([(0x80000008u, 0), (0x8000000au, 0), (0x80000009u, 0), (0x8000000bu, 0)],
            new Dictionary<int, int> { [0] = 1 });

        int removed = removal.Remove(2, index =>
        {
            tried.Add(index);
            return index != 0x8000000a;
        });

        Assert.Equal(2, removed);
        Assert.Equal([0x8000000bu, 0x8000000au, 0x80000009u], tried);
    }

    [Fact]
    public void What_the_kernel_refuses_is_not_made_up_for_when_nothing_else_is_left()
    {
        var removal = new NumaBalancedRemoval([(1u, 0), (2u, 0)], new Dictionary<int, int> { [0] = 1 });

        Assert.Equal(1, removal.Remove(3, index => index == 2));
    }

    [Fact]
    public void Cpuless_nodes_give_first()
    {
        var tried = new List<uint>();
        var removal = new NumaBalancedRemoval([(1u, 0), (2u, 0), (3u, 0), (4u, 0), (5u, 1), (6u, 1), (7u, 1), (8u, 1)],
            new Dictionary<int, int> { [0] = 8 });

        Assert.Equal(5, removal.Remove(5, index =>
        {
            tried.Add(index);
            return true;
        }));
        Assert.Equal([8u, 7u, 6u, 5u, 4u], tried);
    }

    [Fact]
    public void Among_nodes_with_cpus_the_one_with_fewer_cpus_gives_more()
    {
        var tried = new List<uint>();
        var removal = new NumaBalancedRemoval([(1u, 0), (2u, 0), (3u, 0), (4u, 0), (5u, 1), (6u, 1), (7u, 1), (8u, 1)],
            new Dictionary<int, int> { [0] = 4, [1] = 12 });

        Assert.Equal(4, removal.Remove(4, index =>
        {
            tried.Add(index);
            return true;
        }));

        // Weights (nine parts CPU share, one part memory share): node 0 27, node 1 72; of the 4 LMBs
        // left, node 0 keeps 4 * 27 / 100 = 1 and node 1 keeps 2, so node 0 gives 3 and node 1 the last.
        Assert.Equal([4u, 3u, 2u, 8u], tried);
    }

    [Fact]
    public void Nothing_to_remove_removes_nothing()
    {
        var removal = new NumaBalancedRemoval([], new Dictionary<int, int> { [0] = 1 });

        Assert.Equal(0, removal.Remove(2, _ => throw new InvalidOperationException("nothing should be tried")));
    }
}
