using System.Text.Json.Nodes;

namespace DlparAgent.Qemu;

/// <summary>An asynchronous QMP event, e.g. <c>DEVICE_DELETED</c> with <c>data.device</c>.</summary>
public sealed record QmpEvent(string Name, JsonObject? Data)
{
    /// <summary><c>data.device</c>, the id a <c>device_add</c> gave (QEMU omits it for internal objects).</summary>
    public string? Device => Data?["device"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)Data["device"] : null;

    public override string ToString() => Device is { } device ? $"{Name} {device}" : Name;
}
