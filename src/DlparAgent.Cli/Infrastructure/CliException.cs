namespace DlparAgent.Cli.Infrastructure;

/// <summary>A failure a command reports as one line on stderr with a chosen exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
