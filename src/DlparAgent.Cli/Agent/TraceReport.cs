using System.Text.Json;
using DlparAgent.Core.Tracing;

namespace DlparAgent.Cli.Agent;

/// <summary>A dry run's calls in JSON: <c>{kind: "rtas", service, args: [number], status, returns: [number], note}</c> or <c>{kind: "write", path, content,
/// contentHex, error}</c>.</summary>
internal static class TraceReport
{
    public static void Write(Utf8JsonWriter json, TraceStep step)
    {
        json.WriteStartObject();
        switch (step)
        {
            case RtasCallStep call:
                json.WriteString("kind", "rtas");
                json.WriteString("service", call.Service);
                Words(json, "args", call.Arguments);
                json.WriteNumber("status", call.Status);
                Words(json, "returns", call.Returns);
                json.WriteString("note", call.Note);
                break;
            case KernelWriteStep write:
                json.WriteString("kind", "write");
                json.WriteString("path", write.Write.Path);
                json.WriteString("content", write.Write.Printable());
                json.WriteString("contentHex", Convert.ToHexStringLower(write.Write.Content));
                json.WriteString("error", write.Error);
                break;
        }

        json.WriteEndObject();
    }

    private static void Words(Utf8JsonWriter json, string name, IReadOnlyList<uint> words)
    {
        json.WriteStartArray(name);
        foreach (uint word in words)
        {
            json.WriteNumberValue(word);
        }

        json.WriteEndArray();
    }
}
