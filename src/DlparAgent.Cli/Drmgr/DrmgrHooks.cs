using System.Diagnostics;
using System.Globalization;

namespace DlparAgent.Cli.Drmgr;

/// <summary>
/// Administrator hooks in <c>/etc/drmgr.d/&lt;type&gt;/</c> (spec §4.6, drmgr-hooks.8): owner-executable
/// files, run one after another in version order, with <c>DRC_TYPE</c>, <c>DRC_COUNT</c>,
/// <c>ACTION</c> and <c>PHASE</c> (<c>pre</c> with the count asked for, <c>post</c> with the count done).
/// What the man page promises and upstream's code does not: stdin is empty, output goes to the
/// log, and each hook is stopped after <see cref="Timeout"/>. Unlike upstream, hooks also run for
/// memory and I/O, not only CPUs. A hook's exit status is logged; it never vetoes the operation.
/// Hooks run while the DR lock is held, so a hook that calls drmgr waits until it is killed.
/// </summary>
internal sealed class DrmgrHooks(string root, TimeSpan timeout)
{
    /// <summary>The minimal environment a hook gets besides the four DR variables (upstream clears everything).</summary>
    private const string HookPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public TimeSpan Timeout => timeout;

    /// <summary>Runs the hooks of one phase, reporting each to <paramref name="log"/>.</summary>
    public void Run(string type, string action, string phase, long count, TextWriter log)
    {
        foreach (string hook in Find(type))
        {
            RunOne(hook, type, action, phase, count, log);
        }
    }

    /// <summary>The executable hooks for <paramref name="type"/>, in versionsort order.</summary>
    public IReadOnlyList<string> Find(string type)
    {
        string directory = Path.Combine(root, type);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        try
        {
            return [.. Directory.EnumerateFiles(directory).Where(IsOwnerExecutable).Order(VersionOrder.Instance)];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Owner-executable, following symlinks; a dangling link or an unreadable entry is skipped.</summary>
    private static bool IsOwnerExecutable(string path)
    {
        try
        {
            return (File.GetUnixFileMode(new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path) & UnixFileMode.UserExecute) != 0;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void RunOne(string hook, string type, string action, string phase, long count, TextWriter log)
    {
        var start = new ProcessStartInfo(hook)
        {
            WorkingDirectory = "/",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = HookPath;
        start.Environment["DRC_TYPE"] = type; // drmgr-hooks(8): the -c word, lower case (cpu, mem, pci, …)
        start.Environment["DRC_COUNT"] = count.ToString(CultureInfo.InvariantCulture);
        start.Environment["ACTION"] = action;
        start.Environment["PHASE"] = phase;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log.WriteLine($"hook {hook}: cannot run: {error.Message}");
            return;
        }

        using (process)
        {
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                log.WriteLine($"hook {hook} ({phase}): killed after {timeout.TotalSeconds:0} s");
            }
            else
            {
                log.WriteLine($"hook {hook} ({phase}): exit status {process.ExitCode}");
            }

            foreach (string line in (output.Result + errors.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                log.WriteLine($"hook {Path.GetFileName(hook)}: {line}");
            }
        }
    }
}
