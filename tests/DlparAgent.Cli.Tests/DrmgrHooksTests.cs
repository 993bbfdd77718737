using DlparAgent.Cli.Drmgr;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>Administrator hooks: order, environment, captured output, empty stdin, the timeout.</summary>
public sealed class DrmgrHooksTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-hooks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private string Hook(string type, string name, string script, bool executable = true)
    {
        string directory = Path.Combine(_state, "drmgr.d", type);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        File.SetUnixFileMode(path,
            executable ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    [Fact]
    public void Memory_hooks_run_pre_and_post_in_version_order_with_the_dr_environment()
    {
        Assert.Equal(0, Run("platform", "init", "--state-dir", _state).ExitCode);
        Assert.Equal(0, Run("platform", "assign", "memory", "--size", "1G", "--state-dir", _state).ExitCode);
        Hook("mem", "10-late", "echo \"late $PHASE\"");
        Hook("mem", "2-early", "echo \"early $DRC_TYPE $ACTION $PHASE $DRC_COUNT $(pwd) stdin=$(cat | wc -c)\"; echo oops >&2; exit 3");
        Hook("mem", "5-disabled", "echo never", executable: false);
        File.CreateSymbolicLink(Path.Combine(_state, "drmgr.d", "mem", "7-dangling"), Path.Combine(_state, "missing"));

        var (code, output, _) = Run("--state-dir", _state, "drmgr", "-c", "mem", "-a", "-q", "4");

        Assert.Equal((0, "DR_TOTAL_RESOURCES=4\n"), (code, output));
        string[] hookLines = [.. File.ReadAllLines(Path.Combine(_state, "drmgr.log")).Where(l => l.StartsWith("hook ", StringComparison.Ordinal))];
        string hooks = Path.Combine(_state, "drmgr.d", "mem");
        Assert.Equal(
            [
                $"hook {hooks}/2-early (pre): exit status 3",
                "hook 2-early: early mem add pre 4 / stdin=0",
                "hook 2-early: oops",
                $"hook {hooks}/10-late (pre): exit status 0",
                "hook 10-late: late pre",
                $"hook {hooks}/2-early (post): exit status 3",
                "hook 2-early: early mem add post 4 / stdin=0",
                "hook 2-early: oops",
                $"hook {hooks}/10-late (post): exit status 0",
                "hook 10-late: late post",
            ],
            hookLines);
    }

    [Fact]
    public void Queries_run_no_hooks()
    {
        Assert.Equal(0, Run("platform", "init", "--state-dir", _state).ExitCode);
        string marker = Path.Combine(_state, "ran");
        Hook("phb", "1-touch", $"touch {marker}");

        Assert.Equal(6, Run("--state-dir", _state, "drmgr", "-c", "phb", "-Q", "-s", "PHB 0").ExitCode);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void A_hook_that_hangs_is_killed_after_the_timeout()
    {
        Hook("cpu", "1-hang", "sleep 30");
        var log = new StringWriter();

        new DrmgrHooks(Path.Combine(_state, "drmgr.d"), TimeSpan.FromMilliseconds(300)).Run("cpu", "add", "pre", 1, log);

        Assert.Contains("(pre): killed after 0 s", log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("group-writable")]
    [InlineData("others-writable")]
    [InlineData("directory-writable")]
    [InlineData("link-outside")]
    [InlineData("foreign-owner")]
    public void A_hook_root_should_not_trust_is_skipped_with_a_log_line(string how)
    {
        string marker = Path.Combine(_state, "ran");
        string hook = Hook("cpu", "1-hook", $"touch {marker}");
        string directory = Path.GetDirectoryName(hook)!;
        string expected;
        switch (how)
        {
            case "group-writable":
                File.SetUnixFileMode(hook, File.GetUnixFileMode(hook) | UnixFileMode.GroupWrite);
                expected = $"hook {hook} skipped: is writable by group or others";
                break;
            case "others-writable":
                File.SetUnixFileMode(hook, File.GetUnixFileMode(hook) | UnixFileMode.OtherWrite);
                expected = $"hook {hook} skipped: is writable by group or others";
                break;
            case "directory-writable":
                File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.OtherWrite);
                expected = $"hooks in {directory} skipped: {directory} is writable by group or others";
                break;
            case "link-outside":
                string outside = Path.Combine(_state, "outside");
                File.Move(hook, outside);
                File.CreateSymbolicLink(hook, outside);
                expected = $"hook {hook} skipped: is a symbolic link to {outside}, outside {Path.Combine(_state, "drmgr.d")}";
                break;
            default:
                if (Environment.UserName != "root")
                {
                    // Giving a file away needs root; the suite runs as root in CI.
                    return;
                }

                using (var chown = System.Diagnostics.Process.Start("chown", ["nobody", hook]))
                {
                    Assert.True(chown.WaitForExit(10_000) && chown.ExitCode == 0);
                }

                expected = $"hook {hook} skipped: is owned by uid 65534, neither root nor the caller";
                break;
        }

        var log = new StringWriter();
        new DrmgrHooks(Path.Combine(_state, "drmgr.d"), TimeSpan.FromSeconds(10)).Run("cpu", "add", "pre", 1, log);

        Assert.Equal(expected + "\n", log.ToString());
        Assert.False(File.Exists(marker), "an untrusted hook ran");
    }

    [Fact]
    public void A_link_to_a_hook_inside_the_hooks_directory_runs()
    {
        string marker = Path.Combine(_state, "ran");
        string hook = Hook("cpu", "1-hook", $"touch {marker}");
        string shared = Path.Combine(_state, "drmgr.d", "shared-hook");
        File.Move(hook, shared);
        File.CreateSymbolicLink(hook, shared);
        var log = new StringWriter();

        new DrmgrHooks(Path.Combine(_state, "drmgr.d"), TimeSpan.FromSeconds(10)).Run("cpu", "add", "pre", 1, log);

        Assert.Equal($"hook {hook} (pre): exit status 0\n", log.ToString());
        Assert.True(File.Exists(marker));
    }

    [Theory]
    [InlineData("2-a", "10-a")]
    [InlineData("a", "b")]
    [InlineData("01-x", "1-y")]
    [InlineData("hook9", "hook10")]
    public void Version_order_compares_digit_runs_by_value(string first, string second)
    {
        Assert.True(VersionOrder.Instance.Compare(first, second) < 0);
        Assert.True(VersionOrder.Instance.Compare(second, first) > 0);
    }
}
