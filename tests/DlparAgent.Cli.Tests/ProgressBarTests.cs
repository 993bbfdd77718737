using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Requests;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>The progress bar: drawn on a terminal once the delay has passed, never otherwise, and erased at the end.</summary>
public sealed class ProgressBarTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-progress-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, 8, "[------------------------] 0/8 memory add count 8 0.0s")]
    [InlineData(3, 8, "[#########---------------] 3/8 memory add count 8 0.0s")]
    [InlineData(8, 8, "[########################] 8/8 memory add count 8 0.0s")]
    public void The_line_shows_done_of_expected(int done, int expected, string line)
    {
        var request = RequestGrammar.Parse("memory add count 8").Request;
        Assert.Equal(line, ProgressBar.Line(new DlparProgress(request, done, done, expected), TimeSpan.Zero));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void A_long_operation_shows_a_bar_only_on_a_terminal(bool terminal, bool expectBar)
    {
        Dlpar(c => c, "platform", "init", "--kernel-dlpar", "");
        Dlpar(c => c, "platform", "assign", "memory", "--size", "1G");

        // Delay zero stands for "the operation has run longer than a second".
        var (code, output, error) = Dlpar(c => c with { ErrorIsTerminal = terminal, ProgressDelay = TimeSpan.Zero }, "add", "memory", "--count", "4");

        Assert.Equal(0, code);
        Assert.Contains("4 of 4 done", output, StringComparison.Ordinal);
        if (expectBar)
        {
            Assert.Contains("] 4/4 memory add count 4", error, StringComparison.Ordinal);
            Assert.Contains("] 0/4 memory add count 4", error, StringComparison.Ordinal);
            Assert.EndsWith("\r", error, StringComparison.Ordinal);
            Assert.Equal(string.Empty, error.Split('\r')[^1]);
        }
        else
        {
            Assert.Equal(string.Empty, error);
        }
    }

    [Fact]
    public void A_short_operation_shows_nothing_even_on_a_terminal()
    {
        Dlpar(c => c, "platform", "init");
        Dlpar(c => c, "platform", "assign", "memory", "--size", "1G");

        var (code, _, error) = Dlpar(c => c with { ErrorIsTerminal = true, ProgressDelay = TimeSpan.FromMinutes(5) }, "add", "memory", "--count", "4");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
    }

    private (int ExitCode, string Out, string Error) Dlpar(Func<CliContext, CliContext> adjust, params string[] args) => RunIn(adjust, ["--state-dir", _state,
        .. args]);
}
