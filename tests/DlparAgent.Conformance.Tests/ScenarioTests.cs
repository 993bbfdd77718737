using DlparAgent.Conformance.Tests.Platforms;
using DlparAgent.Conformance.Tests.Scenarios;

namespace DlparAgent.Conformance.Tests;

/// <summary>
/// Every scenario on the emulated platform (its expectations), and on QEMU: the same
/// expectations, then the transcripts compared line by line.
/// </summary>
public sealed class ScenarioTests
{
    public static TheoryData<string, string> LegacyScenarios() => Rows(ReferenceMode.Legacy);

    public static TheoryData<string, string> NegotiatedScenarios() =>
        Rows(ReferenceMode.Modern, ReferenceMode.ModernDrmemV1, ReferenceMode.ModernNoHotplugEvents);

    public static TheoryData<string, string> EveryScenario() => Rows(Enum.GetValues<ReferenceMode>());

    [Theory]
    [MemberData(nameof(EveryScenario))]
    public void The_emulated_platform_meets_the_spec(string id, string mode)
    {
        ScenarioRun run = Run(new EmulatedReference(Enum.Parse<ReferenceMode>(mode)), id);
        Assert.True(run.Failures.Count == 0, Report(run));
    }

    [QemuTheory]
    [MemberData(nameof(LegacyScenarios))]
    public void Qemu_without_CAS_agrees(string id, string mode) => Compare(id, Enum.Parse<ReferenceMode>(mode));

    [NegotiatedQemuTheory]
    [MemberData(nameof(NegotiatedScenarios))]
    public void Qemu_after_a_real_CAS_agrees(string id, string mode) => Compare(id, Enum.Parse<ReferenceMode>(mode));

    internal static void Compare(string id, ReferenceMode mode)
    {
        ScenarioRun emulated = Run(new EmulatedReference(mode), id);
        ScenarioRun qemu = QemuRuns.Retrying(() => Run(new QemuReference(mode), id));
        Dump(id, mode, emulated, qemu);
        Assert.True(qemu.Failures.Count == 0, Report(qemu));
        List<string> differences = TranscriptComparison.Unexplained(id, mode, emulated.Transcript, qemu.Transcript);
        Assert.True(differences.Count == 0,
            $"{id} ({mode}): the emulated platform and QEMU differ, and DIVERGENCES.md does not explain it:\n{string.Join('\n', differences)}");
    }

    /// <summary>With DLPAR_CONFORMANCE_DUMP set to a directory, both transcripts are written there (for diffing by hand).</summary>
    internal static void Dump(string id, ReferenceMode mode, ScenarioRun emulated, ScenarioRun qemu)
    {
        if (Environment.GetEnvironmentVariable("DLPAR_CONFORMANCE_DUMP") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllLines(Path.Combine(directory, $"{id}-{mode}.emulated.txt"), emulated.Transcript);
            File.WriteAllLines(Path.Combine(directory, $"{id}-{mode}.qemu.txt"), qemu.Transcript);
        }
    }

    private static ScenarioRun Run(IReferencePlatform platform, string id)
    {
        using (platform)
        {
            Scenario scenario = ScenarioCatalog.All.Single(s => s.Id == id);
            var run = new ScenarioRun(platform, platform.Mode);
            scenario.Body(run);
            return run;
        }
    }

    private static string Report(ScenarioRun run) =>
        $"{string.Join('\n', run.Failures)}\n--- transcript ({run.Platform.Name}, {run.Mode}) ---\n{string.Join('\n', run.Transcript)}";

    private static TheoryData<string, string> Rows(params ReferenceMode[] modes)
    {
        var rows = new TheoryData<string, string>();
        foreach (ReferenceMode mode in modes)
        {
            foreach (Scenario scenario in ScenarioCatalog.All.Where(s => s.RunsIn(mode)))
            {
                rows.Add(scenario.Id, mode.ToString());
            }
        }

        return rows;
    }
}
