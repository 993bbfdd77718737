using static DlparAgent.Cli.Tests.ProcessRunner;

namespace DlparAgent.Cli.Tests;

/// <summary>One detached real Linux guest per test class, started by <c>dlpar platform guest start</c> on first use and stopped at the end.</summary>
public class GuestPlatformFixture : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly Lazy<string> _directory;

    public GuestPlatformFixture()
        : this([])
    {
    }

    /// <param name="startOptions">Extra options of <c>dlpar platform guest start</c>, e.g. <c>--kernel-args lockdown=integrity</c>.</param>
    protected GuestPlatformFixture(params string[] startOptions) => _directory = new(() =>
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("dlpar-guest-cli-").FullName;
        var (code, output, error) = Run(Binary, NoEnvironment, ["platform", "guest", "start", "--dir", directory, .. startOptions, "--json"]);
        StartDocument = output;
        return code == 0 ? directory : throw new InvalidOperationException($"dlpar platform guest start exited {code}: {output}{error}");
    });

    public string Directory => _directory.Value;

    /// <summary>What <c>dlpar platform guest start --json</c> printed.</summary>
    public string StartDocument { get; private set; } = string.Empty;

    public string Platform => "guest:" + Directory;

    /// <summary>dlpar as a process on the guest platform, with extra environment variables.</summary>
    public (int ExitCode, string Out, string Error) Dlpar(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run(Binary, environment, ["--platform", Platform, .. args]);

    public (int ExitCode, string Out, string Error) Dlpar(params string[] args) => Dlpar(NoEnvironment, args);

    /// <summary>A management verb (<c>dlpar platform guest …</c>) on this guest.</summary>
    public (int ExitCode, string Out, string Error) Guest(params string[] args) =>
        Run(Binary, NoEnvironment, ["platform", "guest", .. args, "--dir", Directory]);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _directory.IsValueCreated)
        {
            Run(Binary, NoEnvironment, "platform", "guest", "stop", "--dir", _directory.Value);
            System.IO.Directory.Delete(_directory.Value, recursive: true);
        }
    }
}
