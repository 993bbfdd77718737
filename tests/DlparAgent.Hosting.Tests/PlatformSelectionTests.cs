using System.Runtime.InteropServices;
using DlparAgent.Core.Failures;

namespace DlparAgent.Hosting.Tests;

/// <summary>--platform, DLPAR_PLATFORM, a state directory, and the machine itself, in that order.</summary>
public sealed class PlatformSelectionTests
{
    [Theory]
    [InlineData("emulated", null, null, null, true, Architecture.Ppc64le, "Emulated", false)]
    [InlineData("linux", null, "emulated", null, false, Architecture.X64, "Linux", false)]
    [InlineData(null, null, "linux", "/tmp/m", false, Architecture.X64, "Linux", false)]
    [InlineData(null, "/tmp/m", null, null, true, Architecture.Ppc64le, "Emulated", false)]
    [InlineData(null, null, null, "/tmp/m", true, Architecture.Ppc64le, "Emulated", false)]
    [InlineData(null, null, null, null, true, Architecture.Ppc64le, "Linux", false)]
    [InlineData(null, null, null, null, false, Architecture.Ppc64le, "Emulated", true)]
    [InlineData(null, null, null, null, true, Architecture.X64, "Emulated", true)]
    public void The_first_source_that_decides_wins(string? option, string? stateDir, string? platformVariable, string? stateVariable, bool hasRtas,
        Architecture architecture, string expected, bool announced)
    {
        var environment = new Dictionary<string, string?> { ["DLPAR_PLATFORM"] = platformVariable, ["DLPAR_STATE_DIR"] = stateVariable };

        AgentEnvironment agent = AgentEnvironment.From(name => environment.GetValueOrDefault(name), path => hasRtas && path == "/proc/device-tree/rtas",
            isRoot: false) with { Architecture = architecture };

        PlatformSelection selection = PlatformSelection.Resolve(option, stateDir, agent, "dlpar");

        Assert.Equal(expected, selection.Kind.ToString());
        Assert.Equal(announced, selection.Notice is not null);
    }

    [Theory]
    [InlineData("qemu", null)]
    [InlineData("qemu:/var/tmp/partition", "/var/tmp/partition")]
    public void Qemu_names_the_state_directory_or_takes_the_usual_one(string requested, string? directory)
    {
        PlatformSelection selection = PlatformSelection.Resolve(requested, "/tmp/m", Nothing, "dlpar");

        Assert.Equal(PlatformKind.Qemu, selection.Kind);
        Assert.Equal(directory, selection.QemuDirectory);
    }

    [Theory]
    [InlineData("qemu:")]
    [InlineData("powervm")]
    public void Unknown_platforms_are_usage_errors(string requested)
    {
        var error = Assert.Throws<HostingException>(() => PlatformSelection.Resolve(requested, null, Nothing, "dlpar"));
        Assert.Equal(FailureCategory.Usage, error.Category);
    }

    private static AgentEnvironment Nothing => AgentEnvironment.From(_ => null, _ => false, isRoot: false) with { Architecture = Architecture.X64 };
}
