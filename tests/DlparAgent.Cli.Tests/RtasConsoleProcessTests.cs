using System.Diagnostics;
using static DlparAgent.Cli.Tests.ProcessRunner;

namespace DlparAgent.Cli.Tests;

/// <summary><c>dlpar platform rtas</c> is a console: each answer reaches stdout before the next call is typed.</summary>
public sealed class RtasConsoleProcessTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "dlpar-console-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Each_answer_arrives_while_stdin_is_still_open()
    {
        var environment = new Dictionary<string, string> { ["DLPAR_STATE_DIR"] = _state };
        Assert.Equal(0, Run(Binary, environment, "platform", "init").ExitCode);
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("platform");
        start.ArgumentList.Add("rtas");
        start.Environment["DLPAR_STATE_DIR"] = _state;
        using Process console = Process.Start(start)!;

        console.StandardInput.WriteLine("get-sensor-state 9003 0x10000000");
        console.StandardInput.Flush();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        string? answer = await console.StandardOutput.ReadLineAsync(timeout.Token);
        console.StandardInput.Close();
        await console.WaitForExitAsync();

        Assert.StartsWith("0 ", answer, StringComparison.Ordinal);
    }
}
