using System.Diagnostics;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Requests;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Qemu;

namespace DlparAgent.Benchmarks;

/// <summary>
/// The agent's overhead on QEMU: the wall time of an operation run by the engine and the emulated
/// kernel with QEMU as the firmware, divided by the time spent in QEMU's RTAS calls (every qtest
/// exchange of those calls, as seen from here). Median of five runs, each on a fresh QEMU (no CAS),
/// after one run that warms the JIT.
/// </summary>
internal static class QemuFigures
{
    private const int Samples = 5;

    public static IEnumerable<Figure> All()
    {
        yield return new Figure("qemu-overhead-memory-8", "ratio", () => Overhead(
            machine => machine.Management.AddMemory(8 * 256 * QemuMachineOptions.MiB),
            new DlparRequest(DlparResource.Memory, DlparAction.Add, new DlparTarget.ByCount(8))));
        yield return new Figure("qemu-overhead-pci", "ratio", () => Overhead(
            machine => machine.Management.AddPci(0, 3),
            new DlparRequest(DlparResource.Pci, DlparAction.Add, new DlparTarget.ByIndex(0x4000_0018))));
    }

    public static bool Available => QemuBinary.Find(Environment.GetEnvironmentVariable) is not null;

    private static double Overhead(Action<QemuMachine> plug, DlparRequest request)
    {
        Once(plug, request);
        return Measure.Median([.. Enumerable.Range(0, Samples).Select(_ => Once(plug, request))]);
    }

    private static double Once(Action<QemuMachine> plug, DlparRequest request)
    {
        using QemuMachine machine = QemuMachine.Launch(new QemuMachineOptions(), Environment.GetEnvironmentVariable);
        var kernel = new EmulatedKernel(EmulatedKernel.Boot(FdtReader.Read(machine.Management.DumpDeviceTree()), KernelFeatures.Modern), machine.Rtas);
        var engine = new DlparEngine(machine.Rtas, kernel, new MemoryJournal(), new EngineOptions { RandomSeed = 1 });
        plug(machine);
        machine.Rtas.ResetCounters();

        long start = Stopwatch.GetTimestamp();
        DlparResult result = engine.Execute(request);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (!result.Complete)
        {
            throw new InvalidOperationException($"{request}: {result.Error}");
        }

        return wall / machine.Rtas.PlatformTime.TotalSeconds;
    }
}
