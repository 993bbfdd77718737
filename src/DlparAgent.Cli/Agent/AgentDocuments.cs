using System.Text.Json.Serialization;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Tracing;

namespace DlparAgent.Cli.Agent;

/// <summary><c>dlpar add|remove|request --json</c>: the results, a dry run's calls, and why a request was refused.</summary>
internal sealed record AgentRunDocument(bool DryRun, IReadOnlyList<ResultDocument> Results, string? Refused)
{
    /// <summary>A dry run's calls in order; absent from a real run.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TraceStepDocument>? Calls { get; init; }
}

/// <summary>One request's result: how many connectors were asked for and done, by which path, and each connector's outcome.</summary>
internal sealed record ResultDocument(string Request, string Path, int Requested, int Done, bool Complete, string? Error,
    IReadOnlyList<OutcomeDocument> Connectors)
{
    public static ResultDocument From(DlparResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultDocument(result.Request.ToString(), result.Mechanism.Word(), result.Requested, result.Done, result.Complete, result.Error,
            [.. result.Connectors.Select(OutcomeDocument.From)]);
    }
}

/// <summary>What happened to one connector; the RTAS status and errno when a call failed.</summary>
internal sealed record OutcomeDocument(string Index, string Name, string Outcome, string? Detail)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RtasStatus { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Errno { get; init; }

    public static OutcomeDocument From(ConnectorOutcome outcome) =>
        new(JsonOutput.Hex32(outcome.Index), outcome.Name, outcome.Kind.ToString().ToLowerInvariant(), outcome.Detail)
        {
            RtasStatus = outcome.Status?.Value,
            Errno = outcome.Errno?.ToString(),
        };
}

/// <summary>A dry run's call: an RTAS call or a kernel write (no type field is added: <c>kind</c> says which).</summary>
[JsonDerivedType(typeof(RtasStepDocument))]
[JsonDerivedType(typeof(WriteStepDocument))]
internal abstract record TraceStepDocument([property: JsonPropertyOrder(-1)] string Kind)
{
    public static TraceStepDocument From(TraceStep step) => step switch
    {
        RtasCallStep call => new RtasStepDocument(call.Service, call.Arguments, call.Status, call.Returns, call.Note),
        KernelWriteStep write => new WriteStepDocument(write.Write.Path, write.Write.Printable(), Convert.ToHexStringLower(write.Write.Content), write.Error),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "a trace step of no known kind"),
    };
}

internal sealed record RtasStepDocument(string Service, IReadOnlyList<uint> Args, int Status, IReadOnlyList<uint> Returns, string? Note)
    : TraceStepDocument("rtas");

internal sealed record WriteStepDocument(string Path, string Content, string ContentHex, string? Error) : TraceStepDocument("write");

/// <summary><c>dlpar capabilities --json</c>: drmgr -C's checks by key.</summary>
internal sealed record CapabilitiesDocument(IReadOnlyDictionary<string, bool> Capabilities);

/// <summary><c>dlpar recover --json</c>: what recovery settled, one line per connector or operation.</summary>
internal sealed record RecoverDocument(IReadOnlyList<string> Recovered);

/// <summary><c>dlpar set … --json</c>: the value before, the one asked for and the one set (read back); a dry run's kernel writes.</summary>
internal sealed record SetDocument(bool DryRun, string Key, ulong Before, ulong Asked, ulong After, bool Constrained)
{
    /// <summary>nx-credits: the credits open windows hold.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Used { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TraceStepDocument>? Calls { get; init; }
}
