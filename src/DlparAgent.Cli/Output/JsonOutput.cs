using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DlparAgent.Cli.Context;

namespace DlparAgent.Cli.Output;

/// <summary>Writes one typed JSON document (or a streamed list of them) to a text writer: indented, UTF-8, source-generated, AOT-safe.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The CLI's source-generated serializers. Every document goes through a writer made with
    /// <see cref="Options"/> (indentation, escaping), so the serializers' own options stay the
    /// generated ones and their fast paths apply.
    /// </summary>
    public static CliJsonContext Documents => CliJsonContext.Default;

    /// <summary>Writes one typed document.</summary>
    public static void Write<T>(TextWriter output, T document, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        Write(output, json => JsonSerializer.Serialize(json, document, type));
    }

    /// <summary>
    /// Writes <c>{"<paramref name="property"/>": [ … ]}</c> one typed element at a time, handing the
    /// text to the output in blocks: a listing of a 64 TiB partition is 262,144 elements.
    /// </summary>
    public static void WriteList<T>(TextWriter output, string property, IEnumerable<T> elements, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(elements);
        ArgumentNullException.ThrowIfNull(type);
        Write(output, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray(property);
            foreach (T element in elements)
            {
                JsonSerializer.Serialize(json, element, type);
                FlushSometimes(json);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(write);
        if (output is StreamWriter { BaseStream: { CanWrite: true } stream } writerOverStream && writerOverStream.Encoding is UTF8Encoding)
        {
            // Straight to the stream, not through a string: listings run to tens of MB (see FlushSometimes).
            writerOverStream.Flush();
            var blocks = new BlockStream(stream);
            using (var direct = new Utf8JsonWriter(blocks, Options))
            {
                write(direct);
            }

            blocks.Write("\n"u8);
            blocks.Drain();
            return;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>Inside a long array: hands what is pending to the stream in blocks, so the writer's buffer stays small.</summary>
    private static void FlushSometimes(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer.BytesPending > 1 << 16)
        {
            writer.Flush();
        }
    }

    /// <summary>A failure in JSON mode: <c>{"ok": false, "error": {"message", "exitCode"}}</c>.</summary>
    public static void Error(TextWriter output, string message, int exitCode) =>
        Write(output, new ErrorDocument(new ErrorDetail(message, exitCode)), Documents.ErrorDocument);

    public static string Hex32(uint value) => string.Create(CultureInfo.InvariantCulture, $"0x{value:x8}");
}
