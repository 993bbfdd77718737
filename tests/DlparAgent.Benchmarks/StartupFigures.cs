using System.Diagnostics;

namespace DlparAgent.Benchmarks;

/// <summary>
/// Whole-process start-up: <c>drmgr -C</c> through a <c>drmgr</c> symlink, as RSCT runs it, against
/// an emulated partition. The binaries are the ones the build produced: the app host for JIT and the
/// NativeAOT publish (<c>dotnet publish src/DlparAgent.Cli -c Release -r linux-x64</c>) for AOT;
/// <c>DLPAR_JIT_BINARY</c> and <c>DLPAR_AOT_BINARY</c> point elsewhere.
/// </summary>
internal static class StartupFigures
{
    public static IEnumerable<Figure> All()
    {
        yield return new("drmgr-capabilities-jit", "ms", () => MedianCapabilities(Binary("DLPAR_JIT_BINARY", "src/DlparAgent.Cli/bin/Release/net10.0/dlpar")));
        yield return new("drmgr-capabilities-aot", "ms", () => MedianCapabilities(Binary("DLPAR_AOT_BINARY",
            "src/DlparAgent.Cli/bin/Release/net10.0/linux-x64/publish/dlpar", publish: true)));
    }

    /// <summary>
    /// The binary a variable names, else the build's; with <paramref name="publish"/> a missing
    /// NativeAOT binary is published first (it takes a minute). Null when there is none.
    /// </summary>
    internal static string? Binary(string variable, string relative, bool publish = false)
    {
        string? path = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(path))
        {
            return File.Exists(path) ? path : throw new FigureUnavailableException($"{variable}={path}: no such file");
        }

        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "DlparAgent.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/'));
        }

        if (root is null)
        {
            throw new FigureUnavailableException($"{variable} is not set and the repository (DlparAgent.sln) is not above {AppContext.BaseDirectory}");
        }

        path = Path.Combine(root, relative);
        string project = string.Join('/', relative.Split('/').Take(2));
        if (!File.Exists(path) && publish)
        {
            Console.Error.WriteLine($"publishing {project} (NativeAOT) for the figures that run {Path.GetFileName(relative)}");
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = root, RedirectStandardOutput = true };
            foreach (string arg in (string[])["publish", project, "-c", "Release", "-r", "linux-x64"])
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
        }

        return File.Exists(path) ? path : throw new FigureUnavailableException($"no binary at {path}: build (JIT) or publish (dotnet publish {project} -c " +
            $"Release -r linux-x64) it first");
    }

    private static double MedianCapabilities(string? binary, int samples = 21, int warmup = 3)
    {
        ArgumentNullException.ThrowIfNull(binary);

        string directory = Path.Combine(Path.GetTempPath(), "dlpar-startup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string drmgr = Path.Combine(directory, "drmgr");
            File.CreateSymbolicLink(drmgr, binary);
            string state = Path.Combine(directory, "machine");
            if (RunMilliseconds(binary, state, "platform", "init") is double.NaN)
            {
                return double.NaN;
            }

            for (int i = 0; i < warmup; i++)
            {
                RunMilliseconds(drmgr, state, "-C");
            }

            double[] times = [.. Enumerable.Range(0, samples).Select(_ => RunMilliseconds(drmgr, state, "-C"))];
            Array.Sort(times);
            return times[samples / 2];
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Wall time from process start to exit; NaN if it fails.</summary>
    private static double RunMilliseconds(string program, string state, params string[] args)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DLPAR_STATE_DIR"] = state;
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        long began = Stopwatch.GetTimestamp();
        using Process process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        double elapsed = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
        return process.ExitCode == 0 ? elapsed : double.NaN;
    }
}
