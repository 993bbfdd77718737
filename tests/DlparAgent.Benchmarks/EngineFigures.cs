using System.Diagnostics;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Requests;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Benchmarks;

/// <summary>Figures of the DLPAR engine on the emulated platform (issue: the engine).</summary>
internal static class EngineFigures
{
    private static readonly int[] Sizes = [1024, 4096, 16384, 65536];

    public static IEnumerable<Figure> All()
    {
        var seconds = new Dictionary<string, double>();
        foreach (string mode in new[] { "kernel", "userspace" })
        {
            foreach (int n in Sizes)
            {
                yield return new Figure($"memory-add-{n}-{mode}", "s", () => MemoryRun(n, mode, seconds).Add);
                yield return new Figure($"memory-remove-{n}-{mode}", "s", () => MemoryRun(n, mode, seconds).Remove);
            }

            string ratioMode = mode;
            yield return new Figure($"memory-scaling-ratio-{mode}", "ratio", () => MemoryRun(65536, ratioMode, seconds).Add / MemoryRun(4096, ratioMode,
                seconds).Add);
        }

        yield return new Figure("memory-peak-rss", "MB", () =>
        {
            MemoryRun(65536, "userspace", seconds);
            return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        });
        yield return new Figure("rtas-calls-per-lmb", "calls", () => MemoryRun(4096, "userspace", seconds).CallsPerLmb);
        yield return new Figure("cpu-add-240", "s", () => CpuRun().Add);
        yield return new Figure("cpu-remove-240", "s", () => CpuRun().Remove);
    }

    private static readonly Dictionary<(int, string), (double Add, double Remove, double CallsPerLmb)> MemoryCache = [];
    private static (double Add, double Remove)? _cpu;

    /// <summary>Adds then removes N LMBs by count; each size and mode is the median of three runs, measured once and reused.</summary>
    private static (double Add, double Remove, double CallsPerLmb) MemoryRun(int n, string mode, Dictionary<string, double> seconds)
    {
        if (MemoryCache.TryGetValue((n, mode), out var cached))
        {
            return cached;
        }

        (double Add, double Remove, double Calls)[] runs = [.. Enumerable.Range(0, 3).Select(_ => MemoryOnce(n, mode))];
        double add = Measure.Median([.. runs.Select(r => r.Add)]);
        seconds[$"{n}-{mode}"] = add;
        return MemoryCache[(n, mode)] = (add, Measure.Median([.. runs.Select(r => r.Remove)]), runs[0].Calls);
    }

    private static (double Add, double Remove, double Calls) MemoryOnce(int n, string mode)
    {
        var profile = new MachineProfile { Flavor = PlatformFlavor.PowerVm, Memory = 2 * MachineProfile.GiB, MaxMemory =
            (2 * MachineProfile.GiB) + ((ulong)n * MachineProfile.LmbSize) };
        KernelFeatures features = mode == "kernel" ? KernelFeatures.Modern : new KernelFeatures(Core.Kernel.KernelDlparCapabilities.None, false, true);
        EmulatedPartition partition = EmulatedPartition.Create(profile, features);
        partition.Platform.Management.PlugMemory((ulong)n * MachineProfile.LmbSize, 0, null, DeviceOrigin.Assigned);
        FaultRule[] counters = [.. new[] { "get-sensor-state", "set-indicator", "ibm,configure-connector" }.Select(s => new FaultRule { Service = s,
            After = int.MaxValue })];
        partition.Platform.State.Faults.AddRange(counters);
        var engine = new DlparEngine(partition.Platform, partition.Kernel, new MemoryJournal(), new EngineOptions { RandomSeed = 1 });

        var watch = Stopwatch.StartNew();
        DlparResult added = engine.Execute(new DlparRequest(DlparResource.Memory, DlparAction.Add, new DlparTarget.ByCount((uint)n)));
        double add = watch.Elapsed.TotalSeconds;
        double calls = counters.Sum(c => c.Matched) / (double)n;
        watch.Restart();
        DlparResult removed = engine.Execute(new DlparRequest(DlparResource.Memory, DlparAction.Remove, new DlparTarget.ByCount((uint)n)));
        double remove = watch.Elapsed.TotalSeconds;
        if (!added.Complete || !removed.Complete)
        {
            throw new InvalidOperationException($"memory {n} {mode}: {added.Error ?? removed.Error}");
        }

        return (add, remove, calls);
    }

    /// <summary>240 SMT8 cores added and removed by count through the kernel.</summary>
    private static (double Add, double Remove) CpuRun()
    {
        if (_cpu is { } cached)
        {
            return cached;
        }

        var profile = new MachineProfile { Flavor = PlatformFlavor.PowerVm, BootCpus = 8, MaxCpus = 8 * 241, Threads = 8 };
        EmulatedPartition partition = EmulatedPartition.Create(profile, KernelFeatures.Modern);
        for (int core = 1; core <= 240; core++)
        {
            partition.Platform.Management.PlugCpu(core * 8, null, DeviceOrigin.Assigned);
        }

        var engine = new DlparEngine(partition.Platform, partition.Kernel, new MemoryJournal());
        var watch = Stopwatch.StartNew();
        DlparResult added = engine.Execute(new DlparRequest(DlparResource.Cpu, DlparAction.Add, new DlparTarget.ByCount(240)));
        double add = watch.Elapsed.TotalSeconds;
        watch.Restart();
        DlparResult removed = engine.Execute(new DlparRequest(DlparResource.Cpu, DlparAction.Remove, new DlparTarget.ByCount(240)));
        double remove = watch.Elapsed.TotalSeconds;
        if (!added.Complete || !removed.Complete)
        {
            throw new InvalidOperationException($"cpu 240: {added.Error ?? removed.Error}");
        }

        _cpu = (add, remove);
        return (add, remove);
    }
}
