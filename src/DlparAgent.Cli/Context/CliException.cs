using DlparAgent.Core.Failures;
using DlparAgent.Cli.Output;

namespace DlparAgent.Cli.Context;

/// <summary>A failure a command finds itself (a bad combination of options, an input it cannot open).</summary>
internal sealed class CliException(FailureCategory category, string message) : DlparAgentException(message)
{
    public override FailureCategory Category { get; } = category;
}
