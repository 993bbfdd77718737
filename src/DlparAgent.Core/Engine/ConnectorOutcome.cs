using System.Globalization;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

public enum OutcomeKind
{
    Done,
    Skipped,
    Failed,
}

/// <summary>What happened to one connector: done, skipped (with why) or failed with the firmware status or errno.</summary>
public sealed record ConnectorOutcome(uint Index, string Name, OutcomeKind Kind, string Detail, RtasStatus? Status = null, Errno? Errno = null)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"0x{Index:x8} {Name}: {Kind.ToString().ToLowerInvariant()}{(Detail.Length > 0 ? $" ({Detail})" : string.Empty)}");
}
