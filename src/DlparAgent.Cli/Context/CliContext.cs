using DlparAgent.Hosting;
using DlparAgent.Cli.Output;

namespace DlparAgent.Cli.Context;

/// <summary>The process's streams, injected so that commands run the same in tests.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, Func<Stream> OpenStandardInput)
{
    // The hosts a command made; a guest's helper takes one connection at a time, so they are closed when the command ends.
    private readonly List<AgentHost> _hosts = [];

    /// <summary>Whether stderr is a terminal that can show a progress bar.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>How long an operation runs before its progress bar appears.</summary>
    public TimeSpan ProgressDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The process environment (tests give their own, e.g. <c>DLPAR_LINUX_ROOT</c>).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The agent's environment, read from <see cref="Environment"/>.</summary>
    public AgentEnvironment AgentEnvironment() => Hosting.AgentEnvironment.From(Environment);

    /// <summary>The composition root for <paramref name="program"/>'s platform options; says on stderr when it chose the platform.</summary>
    public AgentHost Host(string program, string? platform, string? stateDirectory, bool announce = true)
    {
        AgentHost host = AgentHost.Resolve(program, platform, stateDirectory, AgentEnvironment(), Error);
        if (announce)
        {
            host.Announce(Error);
        }

        lock (_hosts)
        {
            _hosts.Add(host);
        }

        return host;
    }

    /// <summary>Closes what the command's hosts opened (a guest helper's connection).</summary>
    public void ReleaseHosts()
    {
        lock (_hosts)
        {
            _hosts.ForEach(h => h.Dispose());
            _hosts.Clear();
        }
    }

    /// <summary>The emulated machine's directory for a <c>--state-dir</c> value.</summary>
    public string StateDirectory(string? option) => AgentEnvironment().StateDirectoryFor(option);

    public static CliContext FromConsole() => new(Console.Out, Console.Error, Console.OpenStandardInput)
    {
        ErrorIsTerminal = !Console.IsErrorRedirected && System.Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb"),
    };
}
