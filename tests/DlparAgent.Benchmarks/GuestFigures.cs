using System.Diagnostics;
using System.Globalization;
using DlparAgent.Qemu;
using DlparAgent.Qemu.Guest;

namespace DlparAgent.Benchmarks;

/// <summary>
/// The real-Linux guest (Debian's 6.1 kernel under QEMU TCG): how long it takes to boot, how many
/// system calls the agent forwards to it for an operation, and the agent's drmgr (the NativeAOT
/// dlpar on the host, every call through the helper) against the guest's own drmgr on the same
/// guest, with the share of the agent's time spent waiting for forwarded calls. One guest, one run.
/// The guest boots without the kernel's hotplug interrupt, as on PowerVM: the LMBs of plugged DIMMs
/// wait for a drmgr to add them, and after the HMC's unplug request for one to remove them.
/// </summary>
internal static class GuestFigures
{
    private static readonly Lazy<Dictionary<string, double>> Results = new(MeasureAll);

    public static bool Available => GuestImageBuilder.CannotRunHere(Environment.GetEnvironmentVariable) is null;

    public static IEnumerable<Figure> All()
    {
        foreach ((string name, string unit) in ((string, string)[])[
            ("guest-boot", "s"),
            ("guest-forwarded-calls-mem-add-8", "calls"),
            ("guest-mem-add-8-agent-vs-drmgr", "ratio"),
            ("guest-mem-add-8-transport-share", "ratio"),
            ("guest-forwarded-calls-mem-remove-8", "calls"),
            ("guest-mem-remove-8-agent-vs-drmgr", "ratio"),
            ("guest-mem-remove-8-transport-share", "ratio"),
            ("guest-forwarded-calls-pci-add", "calls"),
            ("guest-pci-add-agent-vs-drmgr", "ratio"),
            ("guest-pci-add-transport-share", "ratio")])
        {
            yield return new Figure(name, unit, () => Results.Value[name]);
        }
    }

    private static Dictionary<string, double> MeasureAll()
    {
        string dlpar = StartupFigures.Binary("DLPAR_AOT_BINARY", "src/DlparAgent.Cli/bin/Release/net10.0/linux-x64/publish/dlpar", publish: true)
            ?? throw new FigureUnavailableException("no NativeAOT dlpar: dotnet publish src/DlparAgent.Cli -c Release -r linux-x64 failed");
        string directory = Directory.CreateTempSubdirectory("dlpar-guest-figures-").FullName;
        var results = new Dictionary<string, double>();
        try
        {
            GuestImage image = GuestImageBuilder.Build(Environment.GetEnvironmentVariable);
            DetachedGuest.Start(image, new GuestMachineOptions { MaxMemoryGiB = 16, KernelTakesHotplugEvents = false }, directory,
                Environment.GetEnvironmentVariable);
            results["guest-boot"] = DetachedGuest.BootSeconds(directory) ?? double.NaN;

            // Two DIMMs of 8 LMBs: one for each drmgr to add, then (after the HMC's unplug requests) to remove.
            string first = Manage(directory, m => m.AddMemory(8 * 256 * QemuMachineOptions.MiB));
            string second = Manage(directory, m => m.AddMemory(8 * 256 * QemuMachineOptions.MiB));
            (double agent, double calls, double waited) = Agent(dlpar, directory, "-c", "mem", "-a", "-q", "8");
            double drmgr = Guest(directory, "drmgr -c mem -a -q 8");
            results["guest-forwarded-calls-mem-add-8"] = calls;
            results["guest-mem-add-8-agent-vs-drmgr"] = agent / drmgr;
            results["guest-mem-add-8-transport-share"] = waited / agent;

            WaitForOnlineBlocks(directory, 8 + 16);
            Manage(directory, m => m.Remove(first));
            Manage(directory, m => m.Remove(second));
            (agent, calls, waited) = Agent(dlpar, directory, "-c", "mem", "-r", "-q", "8");
            drmgr = Guest(directory, "drmgr -c mem -r -q 8");
            results["guest-forwarded-calls-mem-remove-8"] = calls;
            results["guest-mem-remove-8-agent-vs-drmgr"] = agent / drmgr;
            results["guest-mem-remove-8-transport-share"] = waited / agent;

            Manage(directory, m => m.AddPci(0, 3));
            Manage(directory, m => m.AddPci(0, 4));
            (agent, calls, waited) = Agent(dlpar, directory, "-c", "pci", "-a", "-s", "C24", "-n");
            drmgr = Guest(directory, "drmgr -c pci -a -s C32 -n");
            results["guest-forwarded-calls-pci-add"] = calls;
            results["guest-pci-add-agent-vs-drmgr"] = agent / drmgr;
            results["guest-pci-add-transport-share"] = waited / agent;
            return results;
        }
        finally
        {
            DetachedGuest.Stop(directory);
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The agent's drmgr as a process on the guest platform: wall seconds, forwarded calls, seconds spent waiting for them.</summary>
    private static (double Seconds, double Calls, double Waited) Agent(string dlpar, string directory, params string[] drmgrArguments)
    {
        string log = Path.Combine(directory, "calls.log");
        File.Delete(log);
        var start = new ProcessStartInfo(dlpar) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["--platform", "guest:" + directory, "drmgr", .. drmgrArguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DLPAR_GUEST_CALL_LOG"] = log;
        long started = Stopwatch.GetTimestamp();
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new FigureUnavailableException($"drmgr {string.Join(' ', drmgrArguments)} on the guest exited {process.ExitCode}: {output}{error.Result}");
        }

        string[] words = File.ReadAllText(log).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (seconds, double.Parse(words[1], CultureInfo.InvariantCulture), double.Parse(words[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The guest's own command, timed inside the guest (its uptime clock, in hundredths).</summary>
    private static double Guest(string directory, string command)
    {
        (GuestConsole console, QmpClient qmp) = DetachedGuest.Attach(directory);
        using (console)
        using (qmp)
        {
            GuestCommandResult result = console.Run($"a=$(cut -d' ' -f1 /proc/uptime); {command} >/dev/null 2>&1; rc=$?; b=$(cut -d' ' -f1 /proc/uptime); " +
                "echo $a $b; [ $rc = 0 ]", TimeSpan.FromMinutes(5));
            string[] times = result.Out.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return result.ExitCode == 0
                ? double.Parse(times[1], CultureInfo.InvariantCulture) - double.Parse(times[0], CultureInfo.InvariantCulture)
                : throw new FigureUnavailableException($"the guest's {command} failed: {result.Out}{result.Error}");
        }
    }

    private static string Manage(string directory, Func<QemuManagement, string> operation)
    {
        (GuestConsole console, QmpClient qmp) = DetachedGuest.Attach(directory);
        using (console)
        using (qmp)
        {
            return operation(new QemuManagement(qmp));
        }
    }

    private static void Manage(string directory, Action<QemuManagement> operation) => Manage(directory, m =>
    {
        operation(m);
        return string.Empty;
    });

    private static void WaitForOnlineBlocks(string directory, int count)
    {
        (GuestConsole console, QmpClient qmp) = DetachedGuest.Attach(directory);
        using (console)
        using (qmp)
        {
            var waited = Stopwatch.StartNew();
            while (int.Parse(console.Run("grep -l online /sys/devices/system/memory/memory*/state | wc -l").Out.Trim(), CultureInfo.InvariantCulture) < count)
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(120))
                {
                    throw new FigureUnavailableException($"the guest's kernel did not online {count} memory blocks within 120 s");
                }

                Thread.Sleep(500);
            }
        }
    }
}
