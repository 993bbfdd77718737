using System.Text.Json.Serialization;

namespace DlparAgent.Cli.Output;

/// <summary>What every command prints in JSON mode when it fails: <c>{"ok": false, "error": {"message", "exitCode"}}</c>.</summary>
internal sealed record ErrorDocument(ErrorDetail Error, [property: JsonPropertyOrder(-1)] bool Ok = false);

/// <summary>The one-line message (as on stderr) and the exit code.</summary>
internal sealed record ErrorDetail(string Message, int ExitCode);
