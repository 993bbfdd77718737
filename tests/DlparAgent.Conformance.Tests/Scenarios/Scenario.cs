using DlparAgent.Conformance.Tests.Platforms;

namespace DlparAgent.Conformance.Tests.Scenarios;

/// <summary>A conformance case (ids from papr-platform.md §7 where it has one) and the modes it runs in.</summary>
public sealed record Scenario(string Id, string Title, Action<ScenarioRun> Body, params ReferenceMode[] Modes)
{
    public bool RunsIn(ReferenceMode mode) => Modes.Length == 0 ? mode == ReferenceMode.Legacy : Modes.Contains(mode);

    public override string ToString() => $"{Id} {Title}";
}
