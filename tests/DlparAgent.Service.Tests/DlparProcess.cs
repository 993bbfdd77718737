using System.Diagnostics;

namespace DlparAgent.Service.Tests;

/// <summary>The dlpar CLI beside the tests as a process: exit code, stdout and stderr.</summary>
internal static class DlparProcess
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "dlpar")) { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
