using DlparAgent.Core.Engine;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// For each flow, a signal (cancellation) or the time limit arrives at every RTAS call and every
/// kernel write in turn: afterwards every connector is fully owned or fully released, the reported
/// total equals the actual change, the journal is clean, and a stop the loop saw says so.
/// </summary>
public class CancellationSweepTests
{
    public enum StopKind
    {
        Signal,
        TimeLimit,
    }

    public static TheoryData<string, string, string, StopKind> Flows()
    {
        var data = new TheoryData<string, string, string, StopKind>();
        foreach (object[] flow in FaultSweepTests.Flows())
        {
            data.Add((string)flow[0], (string)flow[1], (string)flow[2], StopKind.Signal);
            data.Add((string)flow[0], (string)flow[1], (string)flow[2], StopKind.TimeLimit);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public void A_stop_at_every_rtas_call_leaves_a_consistent_partition_and_an_honest_total(string kernel, string request, string setup, StopKind stop)
    {
        int calls = Counted(kernel, request, setup).Calls;
        Assert.True(calls > 0 || !kernel.Equals("-", StringComparison.Ordinal), $"{request}: the userspace flow made no RTAS call");
        for (int k = 1; k <= calls; k++)
        {
            int at = k;
            Check(kernel, request, setup, stop, $"RTAS call {k}", (h, trigger) => h.Firmware = Stopping(h.Partition.Platform, at, trigger));
        }
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public void A_stop_at_every_kernel_write_leaves_a_consistent_partition_and_an_honest_total(string kernel, string request, string setup, StopKind stop)
    {
        int writes = Counted(kernel, request, setup).Writes;
        for (int k = 0; k < writes; k++)
        {
            int target = k;
            Check(kernel, request, setup, stop, $"kernel write {k}", (h, trigger) =>
            {
                int seen = 0;
                h.Partition.Kernel.WriteFault = (_, _) =>
                {
                    if (seen++ == target)
                    {
                        trigger();
                    }

                    return null;
                };
            });
        }
    }

    [Fact]
    public void A_signal_during_a_large_all_or_nothing_add_undoes_what_it_had_added()
    {
        EngineHarness h = FaultSweepTests.Prepared("-", string.Empty);
        h.Assign(memory: 2 * Emulation.Machine.MachineProfile.GiB);
        HashSet<uint> before = h.Owned();
        using var cancellation = new CancellationTokenSource();
        h.Firmware = Stopping(h.Partition.Platform, 60, cancellation.Cancel);

        DlparResult result = h.Engine().Execute(RequestGrammar.Parse("memory add count 12").Request, cancellation.Token);

        Assert.True(result.Interrupted);
        Assert.Equal(0, result.Done);
        Assert.Matches(@"^interrupted; the \d+ LMBs done before it were undone$", result.Error);
        Assert.Equal(before, h.Owned());
        h.AssertConsistent("memory add count 12, interrupted");
    }

    private static void Check(string kernel, string request, string setup, StopKind stop, string where, Action<EngineHarness, Action> arm)
    {
        EngineHarness h = FaultSweepTests.Prepared(kernel, setup);
        HashSet<uint> before = h.Owned();
        using var cancellation = new CancellationTokenSource();
        var clock = new SteppingClock(FixedClock.Default.GetUtcNow());
        arm(h, stop == StopKind.Signal ? cancellation.Cancel : () => clock.Advance(TimeSpan.FromHours(1)));
        var engine = new DlparEngine(h.Firmware ?? h.Partition.Platform, h.Partition.Kernel, h.Journal, new EngineOptions
        {
            Sleep = _ => { },
            RandomSeed = 7,
            Clock = clock,
            Timeout = TimeSpan.FromMinutes(10),
        });

        DlparResult result = engine.Execute(RequestGrammar.Parse(request).Request, cancellation.Token);

        h.Partition.Kernel.WriteFault = null;
        string context = $"{request} on kernel '{kernel}', {stop} at {where}";
        h.AssertConsistent(context);
        int changed = before.Except(h.Owned()).Count() + h.Owned().Except(before).Count();
        Assert.True(result.Done == changed, $"{context}: reported {result.Done} done but {changed} connectors changed");
        Assert.True(result.Complete || result.Error is not null, $"{context}: a shortfall without an error");
        if (result.Interrupted)
        {
            Assert.False(result.Complete, $"{context}: an interrupted request reported complete");
        }
    }

    private static (int Calls, int Writes) Counted(string kernel, string request, string setup)
    {
        EngineHarness h = FaultSweepTests.Prepared(kernel, setup);
        var counting = new CallbackFirmware(h.Partition.Platform, _ => { });
        h.Firmware = counting;
        int writes = 0;
        h.Partition.Kernel.WriteFault = (_, _) =>
        {
            writes++;
            return null;
        };
        Assert.True(h.Run(request).Complete);
        return (counting.Calls, writes);
    }

    /// <summary>Firmware that triggers the stop at its Nth call (the call itself completes).</summary>
    private static CallbackFirmware Stopping(IRtas inner, int stopAt, Action trigger) => new(inner, call =>
    {
        if (call == stopAt)
        {
            trigger();
        }
    });

    /// <summary>A clock the test moves on, past the operation's time limit.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
