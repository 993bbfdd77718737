using System.Text.Json;
using static DlparAgent.Cli.Tests.CliRunner;

namespace DlparAgent.Cli.Tests;

/// <summary><c>dlpar capabilities</c> reports drmgr -C's checks, as text or JSON, and agrees with drmgr.</summary>
public sealed class CapabilitiesCommandTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-capabilities-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public void Json_and_drmgr_agree_key_by_key()
    {
        Assert.Equal(0, Run("platform", "init", "--state-dir", _state).ExitCode);

        var (code, output, _) = Run("--state-dir", _state, "capabilities", "--json");
        Assert.Equal(0, code);
        using JsonDocument document = JsonDocument.Parse(output);
        string fromJson = string.Join(',',
            document.RootElement.GetProperty("capabilities").EnumerateObject().Select(p => $"{p.Name}={(p.Value.GetBoolean() ? "yes" : "no")}"));

        Assert.Equal(Run("--state-dir", _state, "drmgr", "-C").Out.TrimEnd('\n'), fromJson);
        Assert.Contains("CPU DLPAR:            yes", Run("--state-dir", _state, "capabilities").Out, StringComparison.Ordinal);
    }
}
