using DlparAgent.Core.Rtas;

namespace DlparAgent.Linux.Rtas;

/// <summary>A raw call's output words (status first).</summary>
public sealed record RtasCallOutputs(IReadOnlyList<uint> Outputs)
{
    public RtasStatus Status => new(unchecked((int)Outputs[0]));
}
