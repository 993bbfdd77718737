namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>The drmgr/lsslot divergence table: each entry is a row of DIVERGENCES.md, where its reason is explained.</summary>
public static class ToolDivergences
{
    private const string LenientOnPurpose = "kept: upstream's defect PU#115 (without -c, -a and -o print the usage: the default type slot rejects them) is " +
        "fixed on purpose: ours filters the logical slots";

    /// <summary>A mutating HMC scenario of <c>HmcDrivenGuestTests</c>, not one of the stateless command lines.</summary>
    public const string TwoCpusRemoveTwo = "drmgr -c cpu -r -q 2 (two CPUs)";

    public static IReadOnlyList<ToolDivergence> All { get; } =
    [
        new("DT1", "drmgr -C", ToolAspect.Stderr, Open: false,
            "kept: drmgr prints stat() and lparcfg diagnostics for the checks that fail; ours prints only each check's Validating line"),
        new("DT2", "drmgr -c bogus -a -q 1", ToolAspect.Stderr, Open: false,
            "kept: drmgr says 'A connector type (-c) must be specified' for an unknown type; ours names the word it refused and prints the usage"),
        new("DT3", "drmgr -c cpu -a -q 1", ToolAspect.Stderr, Open: false,
            "kept: drmgr writes 'cpu add index' for every CPU connector in turn and prints one kernel error per unusable one; ours senses the " +
                "connectors first and writes only for usable ones, so only 'Could not find available cpu.' remains"),
        new("DT4", "drmgr -c cpu -r -q 1", ToolAspect.Stderr, Open: false,
            "kept: drmgr refuses to remove the last CPU silently (only its log says why); ours says it on stderr"),
        new("DT5", "drmgr -c mem -a -q 1", ToolAspect.Stderr, Open: false,
            "kept: both relay the kernel's EINVAL; ours names the request it wrote (/sys/kernel/dlpar <- 'memory add count 1')"),
        new("DT6", TwoCpusRemoveTwo, ToolAspect.Stdout, Open: false,
            "kept: both remove one of the two CPUs, print it, keep the last and exit 255; drmgr 1.3.10 takes CPUs in device-tree order " +
                "and removed the boot CPU here, ours takes the highest connector first and keeps the lowest (the boot CPU)"),
        new("DT10", "lsslot -a", ToolAspect.ExitCode, Open: false, LenientOnPurpose),
        new("DT11", "lsslot -a", ToolAspect.Stderr, Open: false, LenientOnPurpose),
        new("DT12", "lsslot -o", ToolAspect.ExitCode, Open: false, LenientOnPurpose),
        new("DT13", "lsslot -o", ToolAspect.Stderr, Open: false, LenientOnPurpose),
    ];

    /// <summary>
    /// The row for a command and aspect. A command of the <c>--platform qemu</c> leg without a row of
    /// its own diverges exactly as on the guest: the row of the bare command applies to both legs.
    /// </summary>
    public static ToolDivergence? For(string command, ToolAspect aspect) =>
        All.FirstOrDefault(d => d.Command == command && d.Aspect == aspect)
        ?? (command.StartsWith(RealToolsDifferentialTests.QemuLeg, StringComparison.Ordinal)
            ? For(command[RealToolsDifferentialTests.QemuLeg.Length..], aspect)
            : null);
}
