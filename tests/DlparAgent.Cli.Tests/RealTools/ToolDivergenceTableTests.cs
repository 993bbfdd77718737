namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>The drmgr/lsslot divergence table in code and in DIVERGENCES.md must name the same entries with the same decisions.</summary>
public sealed class ToolDivergenceTableTests
{
    [Fact]
    public void Every_divergence_is_documented_with_its_decision()
    {
        string document = File.ReadAllText(Path.Combine(SourceDirectory(), "..", "DIVERGENCES.md"));
        (string Id, string Decision)[] documented = [.. document.Split('\n')
            .Where(l => l.StartsWith("| DT", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => (cells[1], cells[4]))];

        Assert.Equal(ToolDivergences.All.Select(d => (d.Id, d.Open ? "open" : "kept")).Order(), documented.Order());
        Assert.All(ToolDivergences.All, d => Assert.False(string.IsNullOrWhiteSpace(d.Reason)));
        Assert.Equal(ToolDivergences.All.Count, ToolDivergences.All.Select(d => (d.Command, d.Aspect)).Distinct().Count());
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
