using System.Text.RegularExpressions;
using DlparAgent.Conformance.Tests.Platforms;

namespace DlparAgent.Conformance.Tests;

/// <summary>
/// A known, explained difference between the emulated platform and QEMU: transcript lines of the
/// scenario (any when <see cref="Scenario"/> is "*") in one of the modes (any when null) matching
/// <see cref="Line"/> on either side may differ. Every entry is in DIVERGENCES.md.
/// </summary>
public sealed record Divergence(string Id, string Scenario, ReferenceMode[]? Modes, Regex Line, string Reason)
{
    public bool Covers(string scenario, ReferenceMode mode, string? emulated, string? qemu) =>
        (Scenario == "*" || Scenario == scenario || (Scenario == "random" && scenario.StartsWith("random", StringComparison.Ordinal)))
        && (Modes is null || Modes.Contains(mode))
        && ((emulated is not null && Line.IsMatch(emulated)) || (qemu is not null && Line.IsMatch(qemu)));
}
