using System.Diagnostics;
using System.Globalization;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Files;

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

    /// <summary>S_IWGRP | S_IWOTH.</summary>
    private const uint GroupOrOthersWrite = 0x12;

    public TimeSpan Timeout => timeout;

    /// <summary>
    /// Runs the hooks of one phase, reporting each to <paramref name="log"/> (and its output to
    /// <paramref name="relay"/> too: a migration check's veto must reach the HMC). True when every
    /// hook exited 0; one that fails, is killed or cannot start is a veto, as drmgr counts them.
    /// </summary>
    public bool Run(string type, string action, string phase, long count, TextWriter log, TextWriter? relay = null)
    {
        bool all = true;
        foreach (string hook in Find(type, log))
        {
            all &= RunOne(hook, type, action, phase, count, log, relay);
        }

        return all;
    }

    /// <summary>
    /// The executable hooks for <paramref name="type"/>, in versionsort order. As sudo checks its
    /// files, a hook runs as root only when it, its directory and the hooks directory belong to root
    /// (or the caller) and are writable by nobody else, and a link stays inside the hooks directory;
    /// anything else is skipped with a line in <paramref name="log"/>. Files without the owner's
    /// execute bit are skipped silently: that is how a hook is disabled.
    /// </summary>
    public IReadOnlyList<string> Find(string type, TextWriter? log = null)
    {
        string directory = Path.Combine(root, type);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        try
        {
            foreach (string parent in new[] { root, directory })
            {
                if (Untrusted(parent) is { } why)
                {
                    log?.WriteLine($"hooks in {directory} skipped: {parent} {why}");
                    return [];
                }
            }

            string realRoot = Path.TrimEndingDirectorySeparator(new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName
                ?? Path.GetFullPath(root));
            return [.. Directory.EnumerateFiles(directory).Where(hook => Trusted(hook, realRoot, log)).Order(VersionOrder.Instance)];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            log?.WriteLine($"hooks in {directory} skipped: {IoFailures.Describe(error)}");
            return [];
        }
    }

    private static bool Trusted(string hook, string realRoot, TextWriter? log)
    {
        string target;
        try
        {
            target = new FileInfo(hook).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? hook;
            if (!File.Exists(target) || (File.GetUnixFileMode(target) & UnixFileMode.UserExecute) == 0)
            {
                return false;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        string? why = target != hook && !target.StartsWith(realRoot + "/", StringComparison.Ordinal)
            ? $"is a symbolic link to {target}, outside {realRoot}"
            : Untrusted(target) is { } file ? $"{(target != hook ? $"(its target {target}) " : string.Empty)}{file}"
            : target != hook && Untrusted(Path.GetDirectoryName(target)!) is { } parent ? $"(its target's directory) {parent}"
            : null;
        if (why is not null)
        {
            log?.WriteLine($"hook {hook} skipped: {why}");
        }

        return why is null;
    }

    /// <summary>Why a file or directory cannot be trusted to run as root, or null when it can.</summary>
    private static string? Untrusted(string path)
    {
        if (FileStatus.Of(path) is not { } status)
        {
            return "is gone";
        }

        uint caller = FileStatus.EffectiveUser();
        if (status.Owner != 0 && status.Owner != caller)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is owned by uid {status.Owner}, neither root nor the caller");
        }

        return (status.Mode & GroupOrOthersWrite) != 0 ? "is writable by group or others" : null;
    }

    private bool RunOne(string hook, string type, string action, string phase, long count, TextWriter log, TextWriter? relay)
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
            return false;
        }

        using (process)
        {
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            bool succeeded = false;
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                log.WriteLine($"hook {hook} ({phase}): killed after {timeout.TotalSeconds:0} s");
            }
            else
            {
                log.WriteLine($"hook {hook} ({phase}): exit status {process.ExitCode}");
                succeeded = process.ExitCode == 0;
            }

            foreach (string line in (output.Result + errors.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                log.WriteLine($"hook {Path.GetFileName(hook)}: {line}");
                relay?.WriteLine(line);
            }

            return succeeded;
        }
    }
}
