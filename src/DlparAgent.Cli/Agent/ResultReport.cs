using System.Globalization;
using System.Text.Json;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Engine;

namespace DlparAgent.Cli.Agent;

/// <summary>How the agent reports a request: a summary line and one line per connector, or JSON.</summary>
internal static class ResultReport
{
    public static void WriteText(TextWriter output, DlparResult result)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Request}: {result.Done} of {result.Requested} done ({result.Mechanism.Word()} " +
                $"path){(result.Error is null ? string.Empty : ": " + result.Error)}"));
        foreach (ConnectorOutcome outcome in result.Connectors.Where(c => c.Kind != OutcomeKind.Skipped || c.Detail == "rolled back"))
        {
            output.WriteLine($"  {outcome}");
        }

        ConnectorOutcome[] passedOver = [.. result.Connectors.Where(c => c.Kind == OutcomeKind.Skipped && c.Detail != "rolled back")];
        if (passedOver.Length > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {passedOver.Length} candidate{(passedOver.Length == 1 ? string.Empty : "s")} passed over (first: {passedOver[0].Name}: " +
                    $"{passedOver[0].Detail})"));
        }
    }

    public static void Write(Utf8JsonWriter json, DlparResult result)
    {
        json.WriteStartObject();
        json.WriteString("request", result.Request.ToString());
        json.WriteString("path", result.Mechanism.Word());
        json.WriteNumber("requested", result.Requested);
        json.WriteNumber("done", result.Done);
        json.WriteBoolean("complete", result.Complete);
        json.WriteString("error", result.Error);
        json.WriteStartArray("connectors");
        foreach (ConnectorOutcome outcome in result.Connectors)
        {
            json.WriteStartObject();
            json.WriteString("index", JsonOutput.Hex32(outcome.Index));
            json.WriteString("name", outcome.Name);
            json.WriteString("outcome", outcome.Kind.ToString().ToLowerInvariant());
            json.WriteString("detail", outcome.Detail);
            if (outcome.Status is { } status)
            {
                json.WriteNumber("rtasStatus", status.Value);
            }

            if (outcome.Errno is { } errno)
            {
                json.WriteString("errno", errno.ToString());
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
