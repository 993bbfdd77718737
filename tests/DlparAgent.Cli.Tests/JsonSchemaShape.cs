using System.Text;
using System.Text.Json;

namespace DlparAgent.Cli.Tests;

/// <summary>
/// A JSON document's shape as indented text: every property name with the kind of its value,
/// objects and arrays expanded; an array shows the merged shape of all its elements, so the
/// number of elements and the values themselves do not matter.
/// </summary>
internal static class JsonSchemaShape
{
    public static string Of(JsonElement element)
    {
        var text = new StringBuilder();
        Write(text, Shape.From(element), 0);
        return text.ToString().TrimEnd('\n');
    }

    private static void Write(StringBuilder text, Shape shape, int depth)
    {
        foreach ((string name, Shape child) in shape.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(' ', depth * 2).Append(name).Append(": ").Append(string.Join('|', child.Kinds.Order(StringComparer.Ordinal))).Append('\n');
            Write(text, child, depth + 1);
        }

        if (shape.Items is { } items)
        {
            text.Append(' ', depth * 2).Append("[]: ").Append(string.Join('|', items.Kinds.Order(StringComparer.Ordinal))).Append('\n');
            Write(text, items, depth + 1);
        }
    }

    private sealed class Shape
    {
        public HashSet<string> Kinds { get; } = [];

        public Dictionary<string, Shape> Properties { get; } = [];

        public Shape? Items { get; private set; }

        public static Shape From(JsonElement element)
        {
            var shape = new Shape();
            shape.Merge(element);
            return shape;
        }

        private void Merge(JsonElement element)
        {
            Kinds.Add(element.ValueKind switch
            {
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => element.ValueKind.ToString().ToLowerInvariant(),
            });
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!Properties.TryGetValue(property.Name, out Shape? child))
                    {
                        Properties[property.Name] = child = new Shape();
                    }

                    child.Merge(property.Value);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in element.EnumerateArray())
                {
                    (Items ??= new Shape()).Merge(item);
                }
            }
        }
    }
}
