using System.Diagnostics;
using System.Globalization;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Service.Events;
using DlparAgent.Service.Platforms;
using Microsoft.Extensions.Logging.Abstractions;
using DlparAgent.Hosting;

namespace DlparAgent.Benchmarks;

/// <summary>
/// The event service: latency from a hotplug event being queued (the machine saved with it) to
/// the engine starting on it, for an idle service, in process; and the AOT dlpard's idle memory
/// and CPU.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ServiceFigures
{
    public static IEnumerable<Figure> All()
    {
        yield return new("event-to-action", "ms", EventToAction);
        yield return new("dlpard-idle-rss", "MB", () => Idle().RssMegabytes);
        yield return new("dlpard-idle-cpu", "CPU s/min", () => Idle().CpuSecondsPerMinute);
    }

    private static (double RssMegabytes, double CpuSecondsPerMinute)? _idle;

    /// <summary>
    /// From the moment a hotplug event is queued (the platform saves the machine, as the HMC's
    /// plug does from another process) to the moment a real dlpard process (NativeAOT, as
    /// installed) starts the engine on it, seen as its "Event N: request" log line. Median of 21
    /// PCI plugs, each with the service idle; the unplugs between them are not counted.
    /// </summary>
    private static double EventToAction()
    {
        string binary = StartupFigures.Binary("DLPARD_AOT_BINARY", "src/DlparAgent.Service/bin/Release/net10.0/linux-x64/publish/dlpard", publish: true)!;
        string directory = Path.Combine(Path.GetTempPath(), "dlpard-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["--platform", "emulated", "--state-dir", directory])
        {
            start.ArgumentList.Add(arg);
        }

        Change(directory, _ => { }, EmulatedPartition.Create(new MachineProfile { BootPhbs = 1 }, KernelFeatures.Modern));
        using Process service = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.BlockingCollection<(string Line, long At)>();
        service.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Add((line, Stopwatch.GetTimestamp()));
            }
        };
        service.ErrorDataReceived += (_, _) => { };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        try
        {
            Until(lines, "Application started", _ => true, "that it started");
            var samples = new List<double>();
            for (int i = 0; i < 23; i++)
            {
                Thread.Sleep(100);
                long queued = Stopwatch.GetTimestamp();
                Change(directory, p => p.Platform.Management.PlugPci(0, 3, 0, null, "bench", DeviceOrigin.Hotplug));
                long acting = Until(lines, "pci add", line => !line.Contains("done", StringComparison.Ordinal), "the plug's event");
                Until(lines, "pci add", line => line.Contains("1 of 1 done", StringComparison.Ordinal), "the plug's result");
                if (i >= 2)
                {
                    samples.Add(Stopwatch.GetElapsedTime(queued, acting).TotalMilliseconds);
                }

                Thread.Sleep(100);
                Change(directory, p => p.Platform.Management.Unplug("bench"));
                Until(lines, "pci remove", line => line.Contains("1 of 1 done", StringComparison.Ordinal), "the unplug's result");
            }

            samples.Sort();
            return samples[samples.Count / 2];
        }
        finally
        {
            service.Kill();
            service.WaitForExit();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Waits for dlpard's next line that contains <paramref name="text"/> and passes <paramref name="also"/>; returns when it arrived.</summary>
    private static long Until(System.Collections.Concurrent.BlockingCollection<(string Line, long At)> lines, string text, Func<string, bool> also, string what)
    {
        while (lines.TryTake(out (string Line, long At) next, TimeSpan.FromSeconds(30)))
        {
            if (next.Line.Contains(text, StringComparison.Ordinal) && also(next.Line))
            {
                return next.At;
            }
        }

        throw new FigureUnavailableException($"event-to-action: dlpard did not log {what} within 30 s");
    }

    private static void Change(string directory, Action<EmulatedPartition> change, EmulatedPartition? created = null)
    {
        using MachineStore store = MachineStore.Open(directory, TimeSpan.FromMinutes(1));
        EmulatedPartition partition = created ?? EmulatedPartition.Load(store.Load());
        change(partition);
        store.Save(partition.Persist());
    }

    /// <summary>Runs the AOT dlpard idle for 20 s after start-up: resident memory, and CPU time scaled to a minute.</summary>
    private static (double RssMegabytes, double CpuSecondsPerMinute) Idle()
    {
        if (_idle is { } known)
        {
            return known;
        }

        string? binary = StartupFigures.Binary("DLPARD_AOT_BINARY", "src/DlparAgent.Service/bin/Release/net10.0/linux-x64/publish/dlpard", publish: true);
        if (binary is null)
        {
            return (double.NaN, double.NaN);
        }

        string directory = Path.Combine(Path.GetTempPath(), "dlpard-idle-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            Change(directory, _ => { }, EmulatedPartition.Create(new MachineProfile { BootPhbs = 1 }, KernelFeatures.Modern));
            var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in (string[])["--platform", "emulated", "--state-dir", directory])
            {
                start.ArgumentList.Add(arg);
            }

            using Process daemon = Process.Start(start)!;
            daemon.OutputDataReceived += (_, _) => { };
            daemon.ErrorDataReceived += (_, _) => { };
            daemon.BeginOutputReadLine();
            daemon.BeginErrorReadLine();
            Thread.Sleep(TimeSpan.FromSeconds(3));
            long before = CpuTicks(daemon.Id);
            Thread.Sleep(TimeSpan.FromSeconds(20));
            long after = CpuTicks(daemon.Id);
            double rss = ResidentKilobytes(daemon.Id) / 1024.0;
            daemon.Kill();
            daemon.WaitForExit();
            _idle = (rss, (after - before) / 100.0 * 3);
            return _idle.Value;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>utime + stime from /proc/PID/stat, in clock ticks (USER_HZ, 100 on Linux).</summary>
    private static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static long ResidentKilobytes(int pid) =>
        long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ',
            StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
