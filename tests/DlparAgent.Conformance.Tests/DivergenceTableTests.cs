namespace DlparAgent.Conformance.Tests;

/// <summary>The divergence table in code and in DIVERGENCES.md must name the same entries, each with a reason.</summary>
public sealed class DivergenceTableTests
{
    [Fact]
    public void Every_divergence_is_documented_and_every_documented_one_is_in_force()
    {
        string document = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DIVERGENCES.md"));
        string[] documented = [.. document.Split('\n')
            .Where(l => l.StartsWith("| DV", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1])];
        string[] inCode = [.. Divergences.All.Select(d => d.Id)];

        Assert.Equal(inCode.Order(), documented.Order());
        Assert.All(Divergences.All, d => Assert.False(string.IsNullOrWhiteSpace(d.Reason)));
    }
}
