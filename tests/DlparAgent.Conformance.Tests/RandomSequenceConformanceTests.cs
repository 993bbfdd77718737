using DlparAgent.Conformance.Tests.Platforms;
using DlparAgent.Conformance.Tests.Scenarios;

namespace DlparAgent.Conformance.Tests;

/// <summary>Seeded random sequences on both platforms; their transcripts must agree (divergences aside).</summary>
public sealed class RandomSequenceConformanceTests
{
    private const int Steps = 160;

    public static TheoryData<int> LegacySeeds() => [1, 2, 3, 4, 5, 6];

    public static TheoryData<int> NegotiatedSeeds() => [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

    [Theory]
    [MemberData(nameof(LegacySeeds))]
    public void A_random_sequence_runs_on_the_emulated_platform(int seed)
    {
        ScenarioRun run = Run(new EmulatedReference(ReferenceMode.Legacy), seed);
        Assert.True(run.Transcript.Count >= Steps, "every step leaves at least one line");
    }

    [QemuTheory]
    [MemberData(nameof(LegacySeeds))]
    public void A_random_sequence_agrees_without_CAS(int seed) => Compare(seed, ReferenceMode.Legacy);

    [NegotiatedQemuTheory]
    [MemberData(nameof(NegotiatedSeeds))]
    public void A_random_sequence_agrees_after_CAS(int seed) => Compare(seed, ReferenceMode.Modern);

    private static void Compare(int seed, ReferenceMode mode)
    {
        ScenarioRun emulated = Run(new EmulatedReference(mode), seed);
        ScenarioRun qemu = QemuRuns.Retrying(() => Run(new QemuReference(mode), seed));
        string name = $"random{seed}";
        ScenarioTests.Dump(name, mode, emulated, qemu);
        List<string> differences = TranscriptComparison.Unexplained(name, mode, emulated.Transcript, qemu.Transcript);
        Assert.True(differences.Count == 0,
            $"seed {seed} ({mode}): the emulated platform and QEMU differ, and DIVERGENCES.md does not explain it:\n{string.Join('\n', differences)}");
    }

    private static ScenarioRun Run(IReferencePlatform platform, int seed)
    {
        using (platform)
        {
            var run = new ScenarioRun(platform, platform.Mode);
            RandomSequence.Run(run, seed, Steps);
            return run;
        }
    }
}
