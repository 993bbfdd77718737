using System.Text.Json.Serialization;
using DlparAgent.Cli.Inventory;

namespace DlparAgent.Cli.Output;

/// <summary>The source-generated serializers of the CLI's JSON documents (no reflection: NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConnectorDocument))]
[JsonSerializable(typeof(Platform.GuestImageDocument))]
[JsonSerializable(typeof(Platform.GuestStatusDocument))]
[JsonSerializable(typeof(Platform.GuestDeviceDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
