using System.Text.Json.Serialization;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Requests;

namespace DlparAgent.Cli.Decode;

/// <summary><c>dlpar decode request --json</c>: the normalized request and the kernel's verdict on the same text.</summary>
internal sealed record RequestDocument(string Request, string Resource, string Action, RequestTargetDocument Target, bool KernelAccepts,
    string? KernelRequest, string? KernelReason)
{
    public static RequestDocument From(ParsedRequest parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        DlparRequest request = parsed.Request;
        return new RequestDocument(parsed.Normalized, RequestGrammar.ResourceWord(request.Resource), request.Action == DlparAction.Add ? "add" : "remove",
            RequestTargetDocument.From(request.Target), parsed.Kernel.Accepted,
            parsed.Kernel.Accepted ? KernelDlparGrammar.Format(parsed.Kernel.Request!) : null,
            parsed.Kernel.Accepted ? null : parsed.Kernel.Reason);
    }
}

/// <summary>How the request names its connectors: <c>count</c>, <c>index</c>, <c>indexed-count</c> or <c>name</c>, with only that form's fields.</summary>
internal sealed record RequestTargetDocument(string Type)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? Count { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Index { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    public static RequestTargetDocument From(DlparTarget target) => target switch
    {
        DlparTarget.ByCount count => new("count") { Count = count.Count },
        DlparTarget.ByIndex index => new("index") { Index = JsonOutput.Hex32(index.Index) },
        DlparTarget.ByIndexedCount indexed => new("indexed-count") { Count = indexed.Count, Index = JsonOutput.Hex32(indexed.FirstIndex) },
        DlparTarget.ByName name => new("name") { Name = name.Name },
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "a request target of no known form"),
    };
}
