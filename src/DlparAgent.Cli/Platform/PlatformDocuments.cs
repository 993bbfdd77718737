using System.Text.Json.Serialization;

namespace DlparAgent.Cli.Platform;

/// <summary><c>dlpar platform init --json</c>.</summary>
internal sealed record PlatformInitDocument(string StateDirectory, string Profile, int Connectors, int Devices,
    [property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary>A fault rule by its number.</summary>
internal sealed record FaultDocument(int Number, string Rule);

/// <summary><c>dlpar platform fault add --json</c>.</summary>
internal sealed record FaultAddedDocument(FaultDocument Fault, [property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary><c>dlpar platform fault list --json</c>.</summary>
internal sealed record FaultListDocument(IReadOnlyList<FaultDocument> Faults);

/// <summary><c>dlpar platform rtas --json</c>: each raw call and the firmware's answer.</summary>
internal sealed record RtasConsoleDocument(IReadOnlyList<RtasConsoleCallDocument> Calls);

internal sealed record RtasConsoleCallDocument(string Call, string Answer);

/// <summary>A management verb that plugs or unplugs: the device id (null when none is new).</summary>
internal sealed record DeviceDocument(string? Device, [property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary>A command that only changes something: <c>{"ok": true}</c>.</summary>
internal sealed record OkDocument([property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary><c>dlpar platform qemu start --json</c>.</summary>
internal sealed record QemuStartDocument(string Version, int Pid, string Cas, string StateDirectory, [property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary><c>dlpar platform qemu stop --json</c>.</summary>
internal sealed record QemuStopDocument(bool WasRunning, [property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary><c>dlpar platform qemu status --json</c>.</summary>
internal sealed record QemuStatusDocument(string Version, string RunState, string ArchitectureVector5, IReadOnlyList<string> Dimms,
    [property: JsonPropertyOrder(-1)] bool Ok = true)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Pid { get; init; }
}
