using DlparAgent.Conformance.Tests.Platforms;

namespace DlparAgent.Conformance.Tests;

/// <summary>
/// The emulated platform's initial device tree against QEMU's for the same machine: without CAS
/// (the reset-time tree) and after a real CAS (QEMU rebuilds the tree; dumpdtb returns it).
/// </summary>
public sealed class DeviceTreeConformanceTests
{
    public static TheoryData<string> NegotiatedModes() => [nameof(ReferenceMode.Modern), nameof(ReferenceMode.ModernDrmemV1),
        nameof(ReferenceMode.ModernNoHotplugEvents)];

    [QemuFact]
    public void The_tree_without_CAS_matches_QEMUs() => Compare(ReferenceMode.Legacy);

    [NegotiatedQemuTheory]
    [MemberData(nameof(NegotiatedModes))]
    public void The_tree_after_CAS_matches_QEMUs(string mode) => Compare(Enum.Parse<ReferenceMode>(mode));

    private static void Compare(ReferenceMode mode)
    {
        List<string> emulated;
        using (var platform = new EmulatedReference(mode))
        {
            emulated = TreeFacts.Of(platform.DeviceTree());
        }

        List<string> qemu;
        using (var platform = new QemuReference(mode))
        {
            qemu = TreeFacts.Of(platform.DeviceTree());
        }

        if (Environment.GetEnvironmentVariable("DLPAR_CONFORMANCE_DUMP") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllLines(Path.Combine(directory, $"tree-{mode}.emulated.txt"), emulated);
            File.WriteAllLines(Path.Combine(directory, $"tree-{mode}.qemu.txt"), qemu);
        }

        List<string> differences = TranscriptComparison.Unexplained("tree", mode, emulated, qemu);
        Assert.True(differences.Count == 0, $"the device trees differ ({mode}), and DIVERGENCES.md does not explain it:\n{string.Join('\n', differences)}");
    }
}
