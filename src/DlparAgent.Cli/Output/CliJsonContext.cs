using System.Text.Json.Serialization;
using DlparAgent.Cli.Inventory;

namespace DlparAgent.Cli.Output;

/// <summary>The source-generated serializers of the CLI's JSON documents (no reflection: NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConnectorDocument))]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(Agent.DoctorDocument))]
[JsonSerializable(typeof(Agent.AgentRunDocument))]
[JsonSerializable(typeof(Agent.SetDocument))]
[JsonSerializable(typeof(Agent.CapabilitiesDocument))]
[JsonSerializable(typeof(Agent.RecoverDocument))]
[JsonSerializable(typeof(Decode.RequestDocument))]
[JsonSerializable(typeof(Decode.FdtDocument))]
[JsonSerializable(typeof(Decode.EventLogDocument))]
[JsonSerializable(typeof(Decode.EventStreamDocument))]
[JsonSerializable(typeof(Platform.GuestImageDocument))]
[JsonSerializable(typeof(Platform.GuestStatusDocument))]
[JsonSerializable(typeof(Platform.GuestRunDocument))]
[JsonSerializable(typeof(Platform.DeviceDocument))]
[JsonSerializable(typeof(Platform.PlatformShowDocument))]
[JsonSerializable(typeof(Platform.OkDocument))]
[JsonSerializable(typeof(Platform.PlatformInitDocument))]
[JsonSerializable(typeof(Platform.FaultAddedDocument))]
[JsonSerializable(typeof(Platform.FaultListDocument))]
[JsonSerializable(typeof(Platform.RtasConsoleDocument))]
[JsonSerializable(typeof(Platform.QemuStartDocument))]
[JsonSerializable(typeof(Platform.QemuStopDocument))]
[JsonSerializable(typeof(Platform.QemuStatusDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
