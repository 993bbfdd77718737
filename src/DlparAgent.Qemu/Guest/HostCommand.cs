using System.Diagnostics;

namespace DlparAgent.Qemu.Guest;

/// <summary>Runs a host tool (apt-get, dpkg-deb, the cross compiler) and captures what it printed.</summary>
internal static class HostCommand
{
    public static (int ExitCode, string Out, string Error) Run(string program, string? workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.Environment["LC_ALL"] = "C";
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start) ?? throw new QemuException(QemuProblem.GuestImageUnavailable, $"{program} did not start");
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new QemuException(QemuProblem.GuestImageUnavailable, $"{program} could not be run: {error.Message}", error);
        }
    }

    /// <summary>Runs the tool and fails with its last lines of error output unless it exits 0.</summary>
    public static string Require(string program, string? workingDirectory, string purpose, params string[] arguments)
    {
        (int code, string output, string error) = Run(program, workingDirectory, arguments);
        if (code != 0)
        {
            string said = string.Join(" / ", error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(2));
            throw new QemuException(QemuProblem.GuestImageUnavailable, $"{purpose}: {program} {string.Join(' ', arguments)} exited {code}: {said}");
        }

        return output;
    }
}
