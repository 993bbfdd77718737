using System.Globalization;

namespace DlparAgent.Cli.Lsslot;

/// <summary>
/// The descriptions lsslot shows for a PCI slot's numeric DRC type (PAPR's slot types 1–8 and
/// 11–53, as powerpc-utils words them); 9, 10 and anything else are "Unknown slot type". The type
/// is read as C's <c>atoi</c> reads it: leading digits.
/// </summary>
internal static class PciSlotTypes
{
    private static readonly string[] Descriptions =
    [
        string.Empty,
        "PCI 32 bit, 33MHz, 5 volt slot",
        "PCI 32 bit, 50MHz, 5 volt slot",
        "PCI 32 bit, 33MHz, 3.3 volt slot",
        "PCI 64 bit, 33MHz, 5 volt slot",
        "PCI 64 bit, 50MHz, 5 volt slot",
        "PCI 64 bit, 33MHz, 3.3 volt slot",
        "PCI 32 bit, 66MHz, 3.3 volt slot",
        "PCI 64 bit, 66MHz, 3.3 volt slot",
        string.Empty,
        string.Empty,
        "PCI-X capable, 32 bit, 66MHz slot",
        "PCI-X capable, 32 bit, 100MHz slot",
        "PCI-X capable, 32 bit, 133MHz slot",
        "PCI-X capable, 64 bit, 66MHz slot",
        "PCI-X capable, 64 bit, 100MHz slot",
        "PCI-X capable, 64 bit, 133MHz slot",
        "PCI-X capable, 64 bit, 266MHz slot",
        "PCI-X capable, 64 bit, 533MHz slot",
        "PCI-E capable, Rev 1, 1x lanes",
        "PCI-E capable, Rev 1, 2x lanes",
        "PCI-E capable, Rev 1, 4x lanes",
        "PCI-E capable, Rev 1, 8x lanes",
        "PCI-E capable, Rev 1, 16x lanes",
        "PCI-E capable, Rev 1, 32x lanes",
        "PCI-E capable, Rev 2, 1x lanes",
        "PCI-E capable, Rev 2, 2x lanes",
        "PCI-E capable, Rev 2, 4x lanes",
        "PCI-E capable, Rev 2, 8x lanes",
        "PCI-E capable, Rev 2, 16x lanes",
        "PCI-E capable, Rev 2, 32x lanes",
        "PCI-E capable, Rev 3, 8x lanes with 1 lane connected",
        "PCI-E capable, Rev 3, 8x lanes with 4x lanes connected",
        "PCI-E capable, Rev 3, 8x lanes with 8x lanes connected",
        "PCI-E capable, Rev 3, 16x lanes with 1 lane connected",
        "PCI-E capable, Rev 3, 16x lanes with 8x lanes connected",
        "PCI-E capable, Rev 3, 16x lanes with 16x lanes connected",
        "PCI-E capable, Rev 4, 8x lanes with 1 lane connected",
        "PCI-E capable, Rev 4, 8x lanes with 4x lanes connected",
        "PCI-E capable, Rev 4, 8x lanes with 8x lanes connected",
        "PCI-E capable, Rev 4, 16x lanes with 1 lane connected",
        "PCI-E capable, Rev 4, 16x lanes with 8x lanes connected",
        "PCI-E capable, Rev 4, 16x lanes with 16x lanes connected",
        "U.2 PCI-E capable, Rev 3, 4x lanes with 4x lanes connected",
        "U.2 PCI-E capable, Rev 4, 4x lanes with 4x lanes connected",
        "U.2 PCI-E capable, Rev 4, 4x lanes with 2x lanes connected",
        "PCI-E capable, Rev 5, 8x lanes with 1 lane connected",
        "PCI-E capable, Rev 5, 8x lanes with 4x lanes connected",
        "PCI-E capable, Rev 5, 8x lanes with 8x lanes connected",
        "PCI-E capable, Rev 5, 16x lanes with 1 lane connected",
        "PCI-E capable, Rev 5, 16x lanes with 4x lanes connected",
        "PCI-E capable, Rev 5, 16x lanes with 8x lanes connected",
        "U.2 PCI-E capable, Rev 5, 4x lanes with 2x lanes connected",
        "U.2 PCI-E capable, Rev 5, 4x lanes with 4x lanes connected",
    ];

    public static string Describe(string drcType)
    {
        ArgumentNullException.ThrowIfNull(drcType);
        int digits = 0;
        while (digits < drcType.Length && digits < 9 && char.IsAsciiDigit(drcType[digits]))
        {
            digits++;
        }

        return digits > 0 && int.TryParse(drcType.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out int type)
            && type < Descriptions.Length && Descriptions[type].Length > 0
            ? Descriptions[type]
            : "Unknown slot type";
    }
}
