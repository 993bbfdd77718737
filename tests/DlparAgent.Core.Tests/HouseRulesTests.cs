using System.Runtime.CompilerServices;

namespace DlparAgent.Core.Tests;

/// <summary>House rules the compiler does not check (code style is enforced by the build: EnforceCodeStyleInBuild).</summary>
public sealed class HouseRulesTests
{
    private const int MaxLineLength = 160;

    [Fact]
    public void No_source_line_is_longer_than_160_characters()
    {
        string root = RepositoryRoot();
        string[] offenders = [.. new[] { "src", "tests" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => l.line.Length > MaxLineLength)
            .Select(l => $"{Path.GetRelativePath(root, l.file)}:{l.number} ({l.line.Length})")];

        Assert.True(offenders.Length == 0, "lines over 160 characters:\n" + string.Join('\n', offenders));
    }

    private static string RepositoryRoot([CallerFilePath] string source = "")
    {
        string? directory = Path.GetDirectoryName(source);
        while (directory is not null && !File.Exists(Path.Combine(directory, "DlparAgent.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException($"no DlparAgent.sln above {source}");
    }
}
