using System.Text.Json.Serialization;

namespace DlparAgent.Cli.Platform;

/// <summary><c>dlpar platform guest build --json</c>: where the image is, its kernel and its packages.</summary>
internal sealed record GuestImageDocument(string Directory, string KernelRelease, IReadOnlyList<string> Packages,
    [property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary><c>dlpar platform guest start|stop|status --json</c>.</summary>
internal sealed record GuestStatusDocument(string Directory, int? Pid, string? KernelRelease, double? BootSeconds,
    [property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary><c>dlpar platform guest run --json</c>: the command's exit code and its output, which is not JSON itself.</summary>
internal sealed record GuestRunDocument(int ExitCode, string Stdout, string Stderr)
{
    [JsonPropertyOrder(-1)]
    public bool Ok => ExitCode == 0;
}
