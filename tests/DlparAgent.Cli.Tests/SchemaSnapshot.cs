using System.Text;
using System.Text.Json;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// Compares the schemas of commands' JSON documents (see <see cref="JsonSchemaShape"/>) with a
/// snapshot file under <c>Snapshots/</c>: a change to any document shows here and must be made on
/// purpose, with the README's schema. DLPAR_UPDATE_SNAPSHOTS=1 rewrites the snapshot file.
/// </summary>
internal static class SchemaSnapshot
{
    public static void Matches(string file, IEnumerable<(string Command, string Json)> documents)
    {
        var schemas = new StringBuilder();
        foreach ((string command, string json) in documents)
        {
            using JsonDocument document = JsonDocument.Parse(json);
            schemas.Append(command).Append('\n').Append(JsonSchemaShape.Of(document.RootElement)).Append("\n\n");
        }

        string snapshot = Path.Combine(SourceDirectory(), "Snapshots", file);
        if (Environment.GetEnvironmentVariable("DLPAR_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(snapshot, schemas.ToString());
        }

        Assert.Equal(File.ReadAllText(snapshot), schemas.ToString());
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
