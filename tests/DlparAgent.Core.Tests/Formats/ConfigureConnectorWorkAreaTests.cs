using System.Buffers.Binary;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;

namespace DlparAgent.Core.Tests.Formats;

public class ConfigureConnectorWorkAreaTests
{
    [Fact]
    public void The_caller_starts_with_the_index_in_word_zero()
    {
        byte[] area = new byte[ConfigureConnectorWorkArea.Size];
        area.AsSpan().Fill(0xEE);

        ConfigureConnectorWorkArea.Initialize(area, 0x80000010);

        Assert.Equal(Convert.FromHexString("8000001000000000"), area[..8]);
        Assert.All(area[8..], b => Assert.Equal(0, b));
        Assert.Equal(0x80000010u, ConfigureConnectorWorkArea.ReadDrcIndex(area));
    }

    [Fact]
    public void A_node_response_places_the_name_at_20_as_in_K01()
    {
        byte[] area = new byte[ConfigureConnectorWorkArea.Size];

        ConfigureConnectorWorkArea.WriteNode(area, "PowerPC,POWER9@8");

        Assert.Equal(20u, BinaryPrimitives.ReadUInt32BigEndian(area.AsSpan(8)));
        Assert.Equal("PowerPC,POWER9@8\0"u8.ToArray(), area[20..37]);
        Assert.Equal(new ConfigureConnectorStep(2, "PowerPC,POWER9@8", default), ConfigureConnectorWorkArea.ReadStep(area,
            ConfigureConnectorStatus.NextChild) with { Value = default });
    }

    [Fact]
    public void A_property_value_follows_the_names_nul_as_in_K02()
    {
        byte[] area = new byte[ConfigureConnectorWorkArea.Size];

        Assert.True(ConfigureConnectorWorkArea.WriteProperty(area, "reg", [0, 0, 0, 8], clipLikeQemu: true));

        Assert.Equal(Convert.FromHexString("00000014" + "00000004" + "00000018"), area[8..20]);
        Assert.Equal("reg\0"u8.ToArray(), area[20..24]);
        Assert.Equal(new byte[] { 0, 0, 0, 8 }, area[24..28]);
        ConfigureConnectorStep step = ConfigureConnectorWorkArea.ReadStep(area, ConfigureConnectorStatus.NextProperty);
        Assert.Equal("reg", step.Name);
        Assert.Equal(new byte[] { 0, 0, 0, 8 }, step.Value.ToArray());
    }

    [Fact]
    public void An_oversized_value_is_clipped_like_qemu_or_refused_in_strict_mode_as_in_K06()
    {
        byte[] area = new byte[ConfigureConnectorWorkArea.Size];
        byte[] big = new byte[5000];

        Assert.False(ConfigureConnectorWorkArea.WriteProperty(area, "ibm,drc-names", big, clipLikeQemu: false));
        Assert.All(area, b => Assert.Equal(0, b));
        Assert.False(ConfigureConnectorWorkArea.WriteProperty(area, "ibm,drc-names", big, clipLikeQemu: true));
        Assert.Equal(5000u, BinaryPrimitives.ReadUInt32BigEndian(area.AsSpan(12)));

        // The caller never takes a clipped value for a whole one.
        var error = Assert.Throws<DlparFormatException>(() => ConfigureConnectorWorkArea.ReadStep(area, ConfigureConnectorStatus.NextProperty));
        Assert.Contains("extend beyond", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4096u, "node name")]
    [InlineData(4095u, "node name")]
    public void Names_outside_the_area_or_unterminated_are_refused(uint offset, string field)
    {
        byte[] area = new byte[ConfigureConnectorWorkArea.Size];
        area[4095] = (byte)'x';
        BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(8), offset);

        var error = Assert.Throws<DlparFormatException>(() => ConfigureConnectorWorkArea.ReadStep(area, ConfigureConnectorStatus.NextChild));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Statuses_without_data_read_no_name()
    {
        byte[] area = new byte[ConfigureConnectorWorkArea.Size];

        Assert.Null(ConfigureConnectorWorkArea.ReadStep(area, ConfigureConnectorStatus.Complete).Name);
        Assert.Null(ConfigureConnectorWorkArea.ReadStep(area, ConfigureConnectorStatus.PreviousParent).Name);
        Assert.Equal("connector unusable", ConfigureConnectorStatus.Describe(-9003));
        Assert.Equal("extended delay of 100 ms", ConfigureConnectorStatus.Describe(9902));
    }
}
