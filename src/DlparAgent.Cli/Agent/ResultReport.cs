using System.Globalization;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Engine;

namespace DlparAgent.Cli.Agent;

/// <summary>How the agent reports a request as text: a summary line and one line per connector (JSON: <see cref="ResultDocument"/>).</summary>
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
}
