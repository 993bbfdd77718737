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
            Check(kernel, request, setup, stop, $"RTAS call {k}", (h, trigger) => h.Firmware = new StoppingFirmware(h.Partition.Platform, k, trigger));
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
        h.Firmware = new StoppingFirmware(h.Partition.Platform, 60, cancellation.Cancel);

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
        var counting = new StoppingFirmware(h.Partition.Platform, int.MaxValue, () => { });
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

    /// <summary>A clock the test moves on, past the operation's time limit.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }

    /// <summary>Firmware that triggers the stop at its Nth call (the call itself completes).</summary>
    private sealed class StoppingFirmware(IRtas inner, int stopAt, Action trigger) : IRtas
    {
        public int Calls { get; private set; }

        public bool HasService(string name) => inner.HasService(name);

        public RtasResult GetSensorState(uint sensor, uint index) => Step(() => inner.GetSensorState(sensor, index));

        public RtasStatus SetIndicator(uint indicator, uint index, uint value) => Step(() => inner.SetIndicator(indicator, index, value));

        public RtasResult GetPowerLevel(uint domain) => Step(() => inner.GetPowerLevel(domain));

        public RtasResult SetPowerLevel(uint domain, uint level) => Step(() => inner.SetPowerLevel(domain, level));

        public RtasStatus ConfigureConnector(Span<byte> workArea, Span<byte> extension)
        {
            Tick();
            return inner.ConfigureConnector(workArea, extension);
        }

        public RtasStatus CheckException(uint vector, uint extendedInfo, uint mask, Span<byte> buffer) => inner.CheckException(vector, extendedInfo, mask,
            buffer);

        public RtasStatus EventScan(uint mask, Span<byte> buffer) => inner.EventScan(mask, buffer);

        private T Step<T>(Func<T> call)
        {
            Tick();
            return call();
        }

        private void Tick()
        {
            if (++Calls == stopAt)
            {
                trigger();
            }
        }
    }
}
