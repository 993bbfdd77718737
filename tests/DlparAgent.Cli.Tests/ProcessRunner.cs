using System.Diagnostics;

namespace DlparAgent.Cli.Tests;

/// <summary>Runs the built dlpar binary as a real process, optionally under another name (a symlink).</summary>
internal static class ProcessRunner
{
    public static string Binary => Path.Combine(AppContext.BaseDirectory, "dlpar");

    public static Process Start(string program, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartWithInput(program, environment, string.Empty, args);

    /// <summary>Starts the program with <paramref name="input"/> as its whole stdin.</summary>
    public static Process StartWithInput(string program, IReadOnlyDictionary<string, string> environment, string input, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        return process;
    }

    public static (int ExitCode, string Out, string Error) Finish(Process process)
    {
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} did not finish");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    public static (int ExitCode, string Out, string Error) Run(string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using Process process = Start(program, environment, args);
        return Finish(process);
    }
}
