namespace DlparAgent.Cli.Infrastructure;

/// <summary>The process's streams, injected so that commands run the same in tests.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, Func<Stream> OpenStandardInput)
{
    public static CliContext FromConsole() => new(Console.Out, Console.Error, Console.OpenStandardInput);
}
