using System.Diagnostics;

namespace DlparAgent.Service.Tests;

/// <summary>A real dlpard process (on an emulated machine, or a real-Linux guest), its output collected line by line.</summary>
internal sealed class Daemon : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();

    public Daemon(string stateDirectory)
        : this("--platform", "emulated", "--state-dir", stateDirectory)
    {
    }

    /// <summary>dlpard with these arguments (the real-Linux guest: <c>--platform guest:DIR</c>).</summary>
    public Daemon(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "dlpard"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dlpard");
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitFor(l => l.Contains(" started on ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Waits for a line (returns it) or fails the test with everything said so far.</summary>
    public string WaitFor(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (_process.HasExited)
            {
                break;
            }

            Thread.Sleep(10);
        }

        throw new TimeoutException($"dlpard did not say it within {timeout.TotalSeconds} s; it said:\n{string.Join('\n', Lines)}");
    }

    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_lock)
            {
                _lines.Add(line);
            }
        }
    }
}
