using System.Runtime.InteropServices;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Service;

/// <summary>What dlpard runs on, chosen as dlpar chooses: option, then environment, then the machine.</summary>
internal sealed record ServiceOptions(bool Emulated, string? StateDirectory, bool AllowRtasErrd, string? Notice)
{
    public static ServiceOptions Resolve(string? platform, string? stateDirectory, bool allowRtasErrd, Func<string, string?> environment)
    {
        string? choice = platform is { Length: > 0 } ? platform : environment("DLPAR_PLATFORM") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        string? directory = stateDirectory is { Length: > 0 } ? stateDirectory : environment(MachineStore.EnvironmentVariable) is { Length: > 0 } d ? d : null;
        return choice switch
        {
            "linux" => new(false, null, allowRtasErrd, null),
            "emulated" => new(true, directory, allowRtasErrd, null),
            null when directory is not null => new(true, directory, allowRtasErrd, null),
            null when RuntimeInformation.ProcessArchitecture == Architecture.Ppc64le && Directory.Exists("/proc/device-tree/rtas") => new(false, null, allowRtasErrd, null),
            null => new(true, null, allowRtasErrd, "dlpard: not a Power partition (no /proc/device-tree/rtas): serving the emulated platform"),
            _ => throw new ArgumentException($"unknown platform '{choice}' (use linux or emulated)"),
        };
    }
}
