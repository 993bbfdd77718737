using System.Text;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Resources;

namespace DlparAgent.Core.Requests;

/// <summary>
/// The agent's request grammar, a superset of the kernel's:
/// <c>&lt;resource&gt; &lt;action&gt; &lt;id_type&gt; &lt;id&gt;</c> where resource is one of
/// memory (or mem), cpu, pci, phb, slot, dt; action is add or remove; and the target is
/// <c>count N</c>, <c>index I</c>, <c>indexed-count N I</c> or <c>name NAME</c> (quote names with
/// spaces: <c>name "CPU 8"</c>). Tokens may be separated by any blanks; numbers are C numbers.
/// Unlike the kernel, nothing may follow the request.
/// </summary>
public static class RequestGrammar
{
    private const string Format = "request";

    public static ParsedRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<(string Value, int Position, bool Quoted)> tokens = Tokenize(text);
        int next = 0;
        (string Value, int Position, bool Quoted) Expect(string what)
        {
            if (next >= tokens.Count)
            {
                throw new DlparFormatException(Format, what, text.Length, $"missing {what}");
            }

            return tokens[next++];
        }

        var resourceToken = Expect("resource");
        ResourceType row = ResourceTable.ByWord(resourceToken.Value)
            ?? throw new DlparFormatException(Format, "resource", resourceToken.Position,
                $"'{resourceToken.Value}' is not one of {string.Join(", ", ResourceTable.Rows.Where(r => r.Resource is not null).Select(r => r.Word))}");
        DlparResource resource = row.Resource!.Value;

        var actionToken = Expect("action");
        DlparAction action = actionToken.Value switch
        {
            "add" => DlparAction.Add,
            "remove" => DlparAction.Remove,
            _ => throw new DlparFormatException(Format, "action", actionToken.Position, $"'{actionToken.Value}' is not add or remove"),
        };

        var idTypeToken = Expect("id type");
        DlparTarget target = idTypeToken.Value switch
        {
            "count" => new DlparTarget.ByCount(Number(Expect("count"), "count")),
            "index" => new DlparTarget.ByIndex(Number(Expect("index"), "index")),
            "indexed-count" => new DlparTarget.ByIndexedCount(Number(Expect("count"), "count"), Number(Expect("index"), "index")),
            "name" => new DlparTarget.ByName(Name(Expect("name"))),
            _ => throw new DlparFormatException(Format, "id type", idTypeToken.Position,
                $"'{idTypeToken.Value}' is not count, index, indexed-count or name"),
        };

        if (next < tokens.Count)
        {
            throw new DlparFormatException(Format, "trailing text", tokens[next].Position,
                $"'{tokens[next].Value}' follows a complete request (the kernel would silently ignore it; the agent does not)");
        }

        if (target is DlparTarget.ByCount { Count: 0 } or DlparTarget.ByIndexedCount { Count: 0 })
        {
            throw new DlparFormatException(Format, "count", idTypeToken.Position, "a count must be at least 1");
        }

        ResourceTargets form = target switch
        {
            DlparTarget.ByCount => ResourceTargets.Count,
            DlparTarget.ByIndex => ResourceTargets.Index,
            DlparTarget.ByIndexedCount => ResourceTargets.IndexedCount,
            _ => ResourceTargets.Name,
        };
        if (!row.Targets.HasFlag(form))
        {
            throw new DlparFormatException(Format, "id type", idTypeToken.Position, $"{row.Word} takes {Forms(row.Targets)}");
        }

        return new ParsedRequest(new DlparRequest(resource, action, target), KernelDlparGrammar.Check(text));
    }

    public static string ResourceWord(DlparResource resource) => ResourceTable.Of(resource).Word;

    /// <summary>"count, index or name"; "only index" for a single form.</summary>
    private static string Forms(ResourceTargets targets)
    {
        (ResourceTargets Form, string Word)[] forms = [(ResourceTargets.Count, "count"), (ResourceTargets.Index, "index"), (ResourceTargets.IndexedCount,
            "indexed-count"), (ResourceTargets.Name, "name")];
        string[] words = [.. forms.Where(f => targets.HasFlag(f.Form)).Select(f => f.Word)];
        return words.Length == 1 ? "only " + words[0] : string.Join(", ", words[..^1]) + " or " + words[^1];
    }

    /// <summary>A DRC name as one token: bare when it has no blanks or quotes, else quoted with backslash escapes.</summary>
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool bare = name.Length > 0 && !name.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\' || char.IsControl(c));
        if (bare)
        {
            return name;
        }

        var quoted = new StringBuilder("\"");
        foreach (char c in name)
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }

    private static uint Number((string Value, int Position, bool Quoted) token, string what)
    {
        if (token.Quoted || !CNumber.TryParseU32(token.Value, out uint value))
        {
            throw new DlparFormatException(Format, what, token.Position,
                $"'{token.Value}' is not an unsigned 32-bit number (0x hex, 0 octal or decimal)");
        }

        return value;
    }

    private static string Name((string Value, int Position, bool Quoted) token)
    {
        if (token.Value.Length == 0)
        {
            throw new DlparFormatException(Format, "name", token.Position, "empty DRC name");
        }

        if (token.Value.Any(char.IsControl))
        {
            throw new DlparFormatException(Format, "name", token.Position, "a DRC name cannot contain control characters");
        }

        return token.Value;
    }

    private static List<(string Value, int Position, bool Quoted)> Tokenize(string text)
    {
        var tokens = new List<(string, int, bool)>();
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] is ' ' or '\t' or '\n' or '\r')
            {
                i++;
                continue;
            }

            int start = i;
            if (text[i] == '"')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new DlparFormatException(Format, "name", start, "unterminated quoted name");
                    }

                    char c = text[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        if (i >= text.Length)
                        {
                            throw new DlparFormatException(Format, "name", start, "unterminated quoted name");
                        }

                        c = text[i++];
                    }

                    value.Append(c);
                }

                if (i < text.Length && text[i] is not (' ' or '\t' or '\n' or '\r'))
                {
                    throw new DlparFormatException(Format, "name", i, "a closing quote must end the token");
                }

                tokens.Add((value.ToString(), start, true));
            }
            else
            {
                while (i < text.Length && text[i] is not (' ' or '\t' or '\n' or '\r'))
                {
                    if (text[i] == '"')
                    {
                        throw new DlparFormatException(Format, "token", i, "a quote may only start a token");
                    }

                    i++;
                }

                tokens.Add((text[start..i], start, false));
            }
        }

        return tokens;
    }
}
