namespace DlparAgent.Cli.Infrastructure;

/// <summary>The process's streams, injected so that commands run the same in tests.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, Func<Stream> OpenStandardInput)
{
    /// <summary>Whether stderr is a terminal that can show a progress bar.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>How long an operation runs before its progress bar appears.</summary>
    public TimeSpan ProgressDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The process environment (tests give their own, e.g. <c>DLPAR_LINUX_ROOT</c>).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public static CliContext FromConsole() => new(Console.Out, Console.Error, Console.OpenStandardInput)
    {
        ErrorIsTerminal = !Console.IsErrorRedirected && System.Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb"),
    };
}
