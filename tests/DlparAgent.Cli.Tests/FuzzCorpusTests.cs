using DlparAgent.Fuzz;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// Every committed fuzzing input, replayed without the fuzzer: the seed corpus, and each finding
/// kept as a regression under <c>tests/DlparAgent.Fuzz/regressions/&lt;target&gt;</c> once fixed.
/// A target reads each one or refuses it as documented.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string> Targets() => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_committed_input_is_read_or_refused_as_documented(string name)
    {
        FuzzTarget target = FuzzTargets.Find(name);
        string[] inputs = [.. new[] { "corpus", "regressions" }
            .Select(kind => Path.Combine(AppContext.BaseDirectory, "Fuzz", kind, name))
            .Where(Directory.Exists)
            .SelectMany(directory => Directory.EnumerateFiles(directory))];

        Assert.NotEmpty(inputs);
        Assert.All(inputs, input => Assert.Null(Replay.Failure(target, File.ReadAllBytes(input))));
    }
}
