using System.Text.RegularExpressions;

namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>
/// The same drmgr and lsslot command lines run by the real powerpc-utils 1.3.10 inside the real
/// Linux guest and by ours against the same guest (the Linux backend through the helper): exit
/// code, stdout and stderr must match, or differ exactly as <see cref="ToolDivergences"/> says.
/// A listed divergence that no longer differs fails too, so the table stays true.
/// </summary>
[Collection("real guest")]
public sealed class RealToolsDifferentialTests(RealToolsGuestFixture guest) : IClassFixture<RealToolsGuestFixture>
{
    /// <summary>Command lines that change nothing on this guest (queries, refusals, failures), in the HMC's and an administrator's words.</summary>
    public static TheoryData<string> Commands =>
    [
        "drmgr",
        "drmgr -h",
        "drmgr -C",
        "drmgr -c bogus -a -q 1",
        "drmgr -c mem -r -q 1",
        "drmgr -c mem -r -q 100",
        "drmgr -c mem -a -q 1",
        "drmgr -c cpu -a -q 1",
        "drmgr -c cpu -r -q 1",
        "drmgr -c phb -Q -s 'PHB 7'",
        "drmgr -c phb -r -s 'PHB 7'",
        "drmgr -c pci -a -s C999 -n",
        "drmgr -c pci -r -s C24 -n",
        "drmgr -m -c pmig -p check",
        "drmgr -m -c pmig -p pre -s 0x1",
        "drmgr -c phib -p pre -s 0x1",
        "drmgr -c phib -p check",
        "drmgr -c phib",
        "lsslot",
        "lsslot -c slot",
        "lsslot -c port",
        "lsslot -c mem",
        "lsslot -c cpu",
        "lsslot -c phb",
        "lsslot -c pci",
        "lsslot -c pci -o",
        "lsslot -c pci -a",
        "lsslot -c pci -F :",
        "lsslot -c pci -s C8",
        "lsslot -c pci -s 0x40000008",
        "lsslot -a",
        "lsslot -o",
    ];

    private const string RealLog = "/var/log/drmgr";

    /// <summary>How the divergence table names a command of the QEMU leg.</summary>
    public const string QemuLeg = "--platform qemu: ";

    /// <summary>The lines of drmgr's log that say what it did, as upstream words them; the rest is each tool's own detail.</summary>
    private static readonly Regex OperationLine = new(
        @"^(drmgr: |Validating .* capability|Initiating kernel DLPAR |Failed to write to |(Acquired|Removed) \d+ of \d+ requested)",
        RegexOptions.CultureInvariant);

    /// <summary>Ours against the same guest, through the Linux backend.</summary>
    [GuestCliTheory]
    [MemberData(nameof(Commands))]
    public void Ours_answers_as_the_real_tool_does(string command) =>
        CompareWithRealTool(command, command, (environment, args) => guest.Dlpar(environment, args));

    /// <summary>Ours against QEMU of the guest's shape, the emulated kernel as the OS (<c>--platform qemu</c>).</summary>
    [GuestCliTheory]
    [MemberData(nameof(Commands))]
    public void Ours_on_qemu_answers_as_the_real_tool_on_linux_does(string command) =>
        CompareWithRealTool(command, QemuLeg + command, (environment, args) => guest.Qemu.Dlpar(environment, ["--platform", "qemu", .. args]));

    private void CompareWithRealTool(string command, string key,
        Func<IReadOnlyDictionary<string, string>, string[], (int ExitCode, string Out, string Error)> run)
    {
        bool logs = command.StartsWith("drmgr", StringComparison.Ordinal);
        var real = guest.Guest("run", logs ? $": > {RealLog}; {command}" : command);
        string log = Path.Combine(Path.GetTempPath(), $"dlpar-drmgr-log-{Guid.NewGuid():n}");
        try
        {
            var ours = run(new Dictionary<string, string> { ["DLPAR_DRMGR_LOG"] = log }, ShellWords(command));
            string[] problems =
            [
                .. Compare(key, ToolAspect.ExitCode, real.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ours.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. Compare(key, ToolAspect.Stdout, real.Out, ours.Out),
                .. Compare(key, ToolAspect.Stderr, real.Error, ours.Error),
                .. logs ? Compare(key, ToolAspect.Log, OperationLines(guest.Guest("run", $"cat {RealLog}").Out),
                    OperationLines(File.Exists(log) ? File.ReadAllText(log) : string.Empty)) : [],
            ];

            Assert.True(problems.Length == 0, string.Join("\n", problems));
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static string OperationLines(string log) =>
        string.Join('\n', log.Split('\n').Where(l => OperationLine.IsMatch(l)).Select(l => l.TrimEnd()));

    private static IEnumerable<string> Compare(string command, ToolAspect aspect, string real, string ours)
    {
        ToolDivergence? listed = ToolDivergences.For(command, aspect);
        if (listed is null && real != ours)
        {
            yield return $"{command}: {aspect} differs from the real tool's and no divergence lists it\n--- real:\n{real}\n--- ours:\n{ours}";
        }
        else if (listed is not null && real == ours)
        {
            yield return $"{command}: {aspect} is the real tool's now; {listed.Id} no longer holds: remove it from the table";
        }
    }

    /// <summary>Splits a command line as the guest's shell does for these cases: words, and single-quoted words with spaces.</summary>
    private static string[] ShellWords(string command)
    {
        var words = new List<string>();
        foreach ((string part, int i) in command.Split('\'').Select((p, i) => (p, i)))
        {
            words.AddRange(i % 2 == 1 ? [part] : part.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return [.. words];
    }
}

/// <summary>A real Linux guest of its own, so the other guest tests' plugs do not change what is compared, and QEMU in its shape beside it.</summary>
public sealed class RealToolsGuestFixture : GuestPlatformFixture
{
    public QemuBesideGuest Qemu { get; } = new();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Qemu.Dispose();
        }

        base.Dispose(disposing);
    }
}
