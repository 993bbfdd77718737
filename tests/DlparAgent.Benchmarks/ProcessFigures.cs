using System.Diagnostics;
using System.Globalization;

namespace DlparAgent.Benchmarks;

/// <summary>
/// The large-partition figures end to end as a user runs them: the NativeAOT <c>dlpar</c> as a
/// process, with its journal and the emulated machine's state directory. The largest machine is a
/// 64 TiB PowerVM partition: 262,144 LMBs of 256 MiB, 8 of them boot memory, so an add takes the
/// other 262,136. Each figure is the median of three runs, each on a fresh copy of the machine.
/// </summary>
internal static class ProcessFigures
{
    private const int Samples = 3;
    private static readonly Dictionary<string, string> Machines = [];

    public static IEnumerable<Figure> All()
    {
        yield return new("memory-add-65536-userspace-process", "s", () => MedianSeconds(Machine("16T", "16382G", userspace: true), "add", "memory", "--count",
            "65528"));
        yield return new("journal-syncs-65536", "fsyncs", () => Fsyncs(Machine("16T", "16382G", userspace: true), "add", "memory", "--count", "65528"));
        yield return new("memory-add-262144-kernel", "s", () => MedianSeconds(Machine("64T", "65534G", userspace: false), "add", "memory", "--count",
            "262136"));
        yield return new("memory-add-262144-userspace", "s", () => MedianSeconds(Machine("64T", "65534G", userspace: true), "add", "memory", "--count",
            "262136"));
        yield return new("memory-peak-rss-262144", "MB", () => PeakRssMegabytes(Machine("64T", "65534G", userspace: true), "add", "memory", "--count",
            "262136"));
        yield return new("lsslot-mem-262144", "s", () => MedianSeconds(Added("64T", "65534G", "262136"), "lsslot", "-c", "mem"));
        yield return new("list-memory-262144", "s", () => MedianSeconds(Added("64T", "65534G", "262136"), "list", "memory", "--json"));
    }

    /// <summary>A prepared machine (kept for the run): a PowerVM partition of that size with the memory assigned by the "HMC".</summary>
    private static string Machine(string maxMemory, string assigned, bool userspace)
    {
        string key = $"{maxMemory}-{assigned}-{userspace}";
        if (Machines.TryGetValue(key, out string? directory))
        {
            return directory;
        }

        directory = Path.Combine(Path.GetTempPath(), "dlpar-process-figures-" + Guid.NewGuid().ToString("N"));
        Dlpar(directory, "platform", "init", "--profile", "powervm", "--max-memory", maxMemory, "--kernel-dlpar", userspace ? string.Empty : "memory,cpu,dt");
        Dlpar(directory, "platform", "assign", "memory", "--size", assigned);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return Machines[key] = directory;
    }

    /// <summary>A machine whose memory the partition already owns (for the listings).</summary>
    private static string Added(string maxMemory, string assigned, string count)
    {
        string key = $"{maxMemory}-{assigned}-added";
        if (!Machines.TryGetValue(key, out string? directory))
        {
            directory = Copy(Machine(maxMemory, assigned, userspace: false));
            Dlpar(directory, "add", "memory", "--count", count);
            Machines[key] = directory;
        }

        return directory;
    }

    private static double MedianSeconds(string machine, params string[] args)
    {
        double[] times = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            string copy = Copy(machine);
            try
            {
                long start = Stopwatch.GetTimestamp();
                Dlpar(copy, args);
                times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            finally
            {
                Directory.Delete(copy, recursive: true);
            }
        }

        return Measure.Median(times);
    }

    /// <summary>The process's own peak resident set (VmHWM), read from /proc while it runs, until it exits.</summary>
    private static double PeakRssMegabytes(string machine, params string[] args)
    {
        string copy = Copy(machine);
        try
        {
            using Process process = Start(copy, args);

            // Drain the output while polling: a full pipe would stop the process.
            Task output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            Task<string> error = process.StandardError.ReadToEndAsync();
            long peakKilobytes = 0;
            while (!process.HasExited)
            {
                try
                {
                    string? line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                    if (line is not null)
                    {
                        peakKilobytes = Math.Max(peakKilobytes, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
                            CultureInfo.InvariantCulture));
                    }
                }
                catch (IOException)
                {
                    // The process ended between the check and the read.
                }

                Thread.Sleep(20);
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new FigureUnavailableException($"dlpar {string.Join(' ', args)} failed with exit code {process.ExitCode}: {error.Result.Trim()}");
            }

            output.Wait();
            return peakKilobytes / 1024.0;
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>fsync and fdatasync calls of the whole process, counted by strace.</summary>
    private static double Fsyncs(string machine, params string[] args)
    {
        string strace = ExecutableOnPath("strace")
            ?? throw new FigureUnavailableException("journal-syncs-65536 counts system calls with strace: apt-get install strace");
        string copy = Copy(machine);
        string counts = Path.Combine(copy, "strace.out");
        try
        {
            var start = new ProcessStartInfo(strace) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in (string[])["-f", "-c", "-e", "trace=fsync,fdatasync", "-o", counts, Binary(), .. args])
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["DLPAR_STATE_DIR"] = copy;
            using Process process = Process.Start(start)!;
            Finish(process, args);
            return File.ReadLines(counts).Where(l => l.TrimEnd().EndsWith("fsync", StringComparison.Ordinal) || l.TrimEnd().EndsWith("fdatasync",
                StringComparison.Ordinal))
                .Sum(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static string Copy(string machine)
    {
        string copy = machine + "-copy-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.EnumerateFiles(machine))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private static void Dlpar(string state, params string[] args)
    {
        using Process process = Start(state, args);
        Finish(process, args);
    }

    private static Process Start(string state, string[] args)
    {
        var start = new ProcessStartInfo(Binary()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DLPAR_STATE_DIR"] = state;
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static void Finish(Process process, string[] args)
    {
        // Output is thrown away as fast as a file would take it: a listing is tens of MB.
        Task output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        Task<string> errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        output.Wait();
        string error = errors.Result;
        if (process.ExitCode != 0)
        {
            throw new FigureUnavailableException($"dlpar {string.Join(' ', args)} failed with exit code {process.ExitCode}: {error.Trim()}");
        }
    }

    /// <summary>The NativeAOT dlpar, published now if the build has not published it yet.</summary>
    private static string Binary() => StartupFigures.Binary("DLPAR_AOT_BINARY", "src/DlparAgent.Cli/bin/Release/net10.0/linux-x64/publish/dlpar", publish: true)
        ?? throw new FigureUnavailableException("no NativeAOT dlpar: dotnet publish src/DlparAgent.Cli -c Release -r linux-x64 failed");

    private static string? ExecutableOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
