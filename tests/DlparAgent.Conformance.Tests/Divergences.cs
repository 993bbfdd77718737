using System.Text.RegularExpressions;
using DlparAgent.Conformance.Tests.Platforms;

namespace DlparAgent.Conformance.Tests;

/// <summary>The divergence table: each entry is a row of DIVERGENCES.md, where its reason is explained.</summary>
public static class Divergences
{
    /// <summary>A CPU's cpu-version, in a configure-connector walk or in the device tree.</summary>
    private static readonly Regex CpuVersion = Pattern(
        @"(^CC\(0x1000[0-9a-f]{4}\) #\d+ -> 3 prop cpu-version |^tree /cpus/PowerPC,POWER9@[0-9a-f]+/cpu-version = )");

    public static IReadOnlyList<Divergence> All { get; } =
    [
        new("DV1", "*", null, Pattern(@"^CC\(0x2000[0-9a-f]{4}\) #\d+ -> 3 prop ibm,drc-(indexes|names) "),
            "QEMU lists a PHB's PCI connectors in GLib hash-table order; the emulated platform in index order. Consumers match the arrays by position, " +
                "never by order."),
        new("DV2", "E11", null, Pattern(@"^CE raw\(mask 0x[0-9a-f]+, len 64\) -> 0, (64|116) bytes written$"),
            "QEMU 7.2 ignores check-exception's length and writes the whole 116-byte log past a 64-byte buffer; the emulated platform writes no more than " +
                "it was given."),
        new("DV3", "*", [ReferenceMode.Modern, ReferenceMode.ModernDrmemV1, ReferenceMode.ModernNoHotplugEvents], CpuVersion,
            "The project's CAS client offers no logical PVRs, so QEMU keeps the raw PVR 0x004E1200; the emulated modern mode is a Linux guest, which " +
                "selects POWER9 compatibility mode 0x0F000005."),
    ];

    private static Regex Pattern(string pattern) => new(pattern, RegexOptions.CultureInvariant);
}
