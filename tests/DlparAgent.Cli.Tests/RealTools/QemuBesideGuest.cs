using static DlparAgent.Cli.Tests.ProcessRunner;

namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>
/// A QEMU machine driven by <c>--platform qemu</c> in the real guest's shape (2 GiB of 8 in 256 MiB
/// LMBs, 32 DIMM slots, one CPU of 8, an e1000 in slot 1 of PHB 0, CAS as current Linux negotiates),
/// started on first use and stopped with its owner.
/// </summary>
public sealed class QemuBesideGuest : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private readonly Lazy<string> _directory = new(() =>
    {
        string directory = Directory.CreateTempSubdirectory("dlpar-qemu-beside-").FullName;
        var (code, output, error) = Run(Binary, NoEnvironment, "--state-dir", directory, "platform", "qemu", "start", "--slots", "32", "--boot-nic", "1");
        return code == 0 ? directory : throw new InvalidOperationException($"dlpar platform qemu start exited {code}: {output}{error}");
    });

    public string StateDirectory => _directory.Value;

    /// <summary>dlpar with this machine's state directory and extra environment variables.</summary>
    public (int ExitCode, string Out, string Error) Dlpar(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run(Binary, environment, ["--state-dir", StateDirectory, .. args]);

    public (int ExitCode, string Out, string Error) Dlpar(params string[] args) => Dlpar(NoEnvironment, args);

    /// <summary>dlpar with <paramref name="input"/> as its stdin.</summary>
    public (int ExitCode, string Out, string Error) DlparWithInput(string input, params string[] args) =>
        Finish(StartWithInput(Binary, NoEnvironment, input, ["--state-dir", StateDirectory, .. args]));

    public void Dispose()
    {
        if (_directory.IsValueCreated)
        {
            Run(Binary, NoEnvironment, "--state-dir", _directory.Value, "platform", "qemu", "stop");
            Directory.Delete(_directory.Value, recursive: true);
        }
    }
}
