using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DlparAgent.Cli.Infrastructure;

/// <summary>Writes one JSON document to a text writer (indented, UTF-8, no reflection: AOT-safe).</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public static string Hex32(uint value) => $"0x{value:x8}";
}
