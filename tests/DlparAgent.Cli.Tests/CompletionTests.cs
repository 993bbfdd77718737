using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>The [suggest] directive that packaging/bash-completion/dlpar calls.</summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("dlpar platform a", "assign")]
    [InlineData("dlpar ", "drmgr")]
    [InlineData("dlpar --pl", "--platform")]
    [InlineData("dlpar platform init --profile ", "powervm")]
    public void Suggestions_complete_the_word_under_the_cursor(string line, string expected)
    {
        var (code, output, _) = Run($"[suggest:{line.Length}]", line);

        Assert.Equal(0, code);
        Assert.Contains(expected, output.Split('\n'));
    }
}
