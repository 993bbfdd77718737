using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Benchmarks;

/// <summary>Figures of the emulated platform (issue: emulated PAPR platform).</summary>
internal static class PlatformFigures
{
    public static IEnumerable<Figure> All()
    {
        yield return new Figure("rtas-dispatch", "ns", RtasDispatch);
        yield return new Figure("state-roundtrip-65536", "ms", StateRoundTrip);
    }

    /// <summary>Median time of one raw get-sensor-state call through token lookup, argument checks and fault rules.</summary>
    private static double RtasDispatch()
    {
        EmulatedPlatform platform = EmulatedPlatform.Create(new MachineProfile());
        var memory = new GuestMemory(0x10000000, 4096);
        var frame = new RtasCallFrame();
        uint token = EmulatedPlatform.TokenOf(RtasServices.GetSensorState)!.Value;
        const int batch = 100_000;
        double rate = Measure.MedianRate(() =>
        {
            frame.Set(token, 2, DrIndicators.EntitySense, 0x10000000);
            if (!platform.Dispatch(frame, memory).IsSuccess)
            {
                throw new InvalidOperationException("dispatch failed");
            }
        }, batch);
        return 1e9 / rate;
    }

    /// <summary>Median of load + save (read, verify, decode; encode, write, fsync, rename) of a machine with 65,536 LMB connectors.</summary>
    private static double StateRoundTrip()
    {
        var profile = new MachineProfile { Memory = 2 * MachineProfile.GiB, MaxMemory = (2 * MachineProfile.GiB) + (65536 * MachineProfile.LmbSize) };
        EmulatedPlatform platform = EmulatedPlatform.Create(profile);
        if (platform.State.Connectors.Count(d => d.Kind == DrcKind.Lmb) != 65536)
        {
            throw new InvalidOperationException("the benchmark machine does not have 65,536 LMB connectors");
        }

        string directory = Path.Combine(Path.GetTempPath(), "dlpar-bench-" + Environment.ProcessId);
        try
        {
            using MachineStore store = MachineStore.Open(directory, TimeSpan.FromSeconds(10));
            store.Save(platform.State);
            return Measure.MedianMillisecondsOnCleanHeap(() => store.Save(store.Load()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
