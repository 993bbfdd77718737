using DlparAgent.Core.Engine;
using DlparAgent.Core.Kernel;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// For each flow, every RTAS call and every kernel write fails in turn (-1, -3, -9001, a busy
/// storm; EIO, EINVAL, EBUSY): afterwards every connector is fully owned or fully released, the
/// reported total equals the actual change, and the journal is clean.
/// </summary>
public class FaultSweepTests
{
    private static readonly string[] Services = ["get-sensor-state", "set-indicator", "ibm,configure-connector"];

    public static TheoryData<string, string, string> Flows()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string kernel in new[] { "-", "memory,cpu,dt", "memory" })
        {
            data.Add(kernel, "cpu add count 2", string.Empty);
            data.Add(kernel, "cpu remove count 1", "cpu add count 2");
            data.Add(kernel, "memory add count 3", string.Empty);
            data.Add(kernel, "memory remove count 2", "memory add count 4");
            data.Add(kernel, "memory add index 0x80000009", string.Empty);
            data.Add(kernel, "pci add index 0x40000010", string.Empty);
            data.Add(kernel, "pci remove name C16", "pci add index 0x40000010");
            data.Add(kernel, "phb add name \"PHB 1\"", string.Empty);
            data.Add(kernel, "phb remove index 0x20000001", "phb add index 0x20000001");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public void Every_rtas_call_failing_in_turn_leaves_a_consistent_partition(string kernel, string request, string setup)
    {
        Dictionary<string, int> calls = CountCalls(kernel, request, setup);
        foreach ((string service, int count) in calls)
        {
            for (int k = 0; k < count; k++)
            {
                foreach (FaultRule fault in new[]
                {
                    new FaultRule { Service = service, After = k, Kind = FaultKind.Status, Status = -1 },
                    new FaultRule { Service = service, After = k, Kind = FaultKind.Status, Status = -3 },
                    new FaultRule { Service = service, After = k, Kind = FaultKind.Status, Status = -9001 },
                    new FaultRule { Service = service, After = k, Kind = FaultKind.Busy, StormLength = 5 },
                    new FaultRule { Service = service, After = k, Kind = FaultKind.Delay, Status = 9901, StormLength = 2 },
                })
                {
                    EngineHarness h = Prepared(kernel, setup);
                    HashSet<uint> before = h.Owned();
                    h.Partition.Platform.State.Faults.Add(fault);

                    DlparResult result = h.Run(request);

                    string context = $"{request} on kernel '{kernel}' with {fault.Describe()}";
                    h.AssertConsistent(context);
                    int changed = before.Except(h.Owned()).Count() + h.Owned().Except(before).Count();
                    Assert.True(result.Done == changed, $"{context}: reported {result.Done} done but {changed} connectors changed");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public void Every_kernel_write_failing_in_turn_leaves_a_consistent_partition(string kernel, string request, string setup)
    {
        EngineHarness counting = Prepared(kernel, setup);
        int writes = 0;
        counting.Partition.Kernel.WriteFault = (_, _) =>
        {
            writes++;
            return null;
        };
        counting.Run(request);

        for (int k = 0; k < writes; k++)
        {
            foreach (Errno errno in new[] { Errno.EIO, Errno.EINVAL, Errno.EBUSY })
            {
                EngineHarness h = Prepared(kernel, setup);
                HashSet<uint> before = h.Owned();
                int seen = 0;
                int target = k;
                h.Partition.Kernel.WriteFault = (_, _) => seen++ == target ? errno : null;

                DlparResult result = h.Run(request);

                h.Partition.Kernel.WriteFault = null;
                string context = $"{request} on kernel '{kernel}' with write {k} failing {errno}";
                h.AssertConsistent(context);
                int changed = before.Except(h.Owned()).Count() + h.Owned().Except(before).Count();
                Assert.True(result.Done == changed, $"{context}: reported {result.Done} done but {changed} connectors changed");
            }
        }
    }

    internal static EngineHarness Prepared(string kernel, string setup)
    {
        var h = new EngineHarness(kernel, p => p with { BootCpus = 1 });
        h.Assign(cores: 3, memory: MachineProfile.GiB, io: true);
        if (setup.Length > 0)
        {
            Assert.True(h.Run(setup).Complete);
        }

        return h;
    }

    /// <summary>How many calls of each service the flow makes when nothing fails.</summary>
    private static Dictionary<string, int> CountCalls(string kernel, string request, string setup)
    {
        EngineHarness h = Prepared(kernel, setup);
        FaultRule[] counters = [.. Services.Select(s => new FaultRule { Service = s, After = int.MaxValue })];
        h.Partition.Platform.State.Faults.AddRange(counters);
        Assert.True(h.Run(request).Complete);
        return counters.ToDictionary(c => c.Service, c => c.Matched);
    }
}
