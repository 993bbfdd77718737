using System.Text;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;

namespace DlparAgent.Cli.Tests;

/// <summary>Runs the CLI in process with captured streams.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args) => RunWithInput([], args);

    public static (int ExitCode, string Out, string Error) RunWithInput(byte[] stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DlparCli.Run(args, new CliContext(output, error, () => new MemoryStream(stdin)));
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs with a context the test adjusts (terminal, progress delay); stdin is empty.</summary>
    public static (int ExitCode, string Out, string Error) RunIn(Func<CliContext, CliContext> adjust, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DlparCli.Run(args, adjust(new CliContext(output, error, () => new MemoryStream())));
        return (code, output.ToString(), error.ToString());
    }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
