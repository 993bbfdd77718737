namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>
/// A known difference between powerpc-utils 1.3.10's drmgr or lsslot and ours for one command
/// line and one aspect; a row of DIVERGENCES.md (same id), where the reason is explained.
/// </summary>
/// <param name="Open">Not decided yet: a difference still to fix (the issue stays open while any is).</param>
public sealed record ToolDivergence(string Id, string Command, ToolAspect Aspect, bool Open, string Reason);
