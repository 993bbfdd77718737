using DlparAgent.Cli.Lsslot;

namespace DlparAgent.Cli.Tests;

/// <summary>lsslot's description of a PCI slot's numeric DRC type, as powerpc-utils words the PAPR slot types.</summary>
public sealed class PciSlotTypesTests
{
    [Theory]
    [InlineData("1", "PCI 32 bit, 33MHz, 5 volt slot")]
    [InlineData("8", "PCI 64 bit, 66MHz, 3.3 volt slot")]
    [InlineData("9", "Unknown slot type")]
    [InlineData("10", "Unknown slot type")]
    [InlineData("11", "PCI-X capable, 32 bit, 66MHz slot")]
    [InlineData("18", "PCI-X capable, 64 bit, 533MHz slot")]
    [InlineData("19", "PCI-E capable, Rev 1, 1x lanes")]
    [InlineData("28", "PCI-E capable, Rev 2, 8x lanes")]
    [InlineData("31", "PCI-E capable, Rev 3, 8x lanes with 1 lane connected")]
    [InlineData("42", "PCI-E capable, Rev 4, 16x lanes with 16x lanes connected")]
    [InlineData("43", "U.2 PCI-E capable, Rev 3, 4x lanes with 4x lanes connected")]
    [InlineData("46", "PCI-E capable, Rev 5, 8x lanes with 1 lane connected")]
    [InlineData("53", "U.2 PCI-E capable, Rev 5, 4x lanes with 4x lanes connected")]
    [InlineData("54", "Unknown slot type")]
    [InlineData("0", "Unknown slot type")]
    [InlineData("28abc", "PCI-E capable, Rev 2, 8x lanes")]
    [InlineData("SLOT", "Unknown slot type")]
    [InlineData("99999999999", "Unknown slot type")]
    [InlineData("", "Unknown slot type")]
    public void A_type_is_described_as_lsslot_does(string type, string description) => Assert.Equal(description, PciSlotTypes.Describe(type));

    [Fact]
    public void Every_papr_slot_type_has_its_own_description()
    {
        string[] described = [.. Enumerable.Range(1, 53).Where(t => t is not (9 or 10))
            .Select(t => PciSlotTypes.Describe(t.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

        Assert.DoesNotContain("Unknown slot type", described);
        Assert.Equal(described.Length, described.Distinct().Count());
    }
}
