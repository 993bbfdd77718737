using System.Text;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Ofdt;

namespace DlparAgent.Core.Tests.Formats;

public class OfdtCodecTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    [Fact]
    public void Add_node_is_written_as_drmgr_writes_it()
    {
        var command = new OfdtCommand.AddNode("/cpus/PowerPC,POWER9@8",
        [
            new OfdtProperty("ibm,my-drc-index", new byte[] { 0x10, 0, 0, 8 }),
            new OfdtProperty("device_type", Bytes("cpu\0")),
            new OfdtProperty("64-bit", ReadOnlyMemory<byte>.Empty),
            new OfdtProperty("bytes", new byte[] { 0x20, 0, 0x0A }),
        ]);

        byte[] write = OfdtCodec.Encode(command);

        Assert.Equal(Bytes("add_node /cpus/PowerPC,POWER9@8 ibm,my-drc-index 4 \u0010\0\0\u0008 device_type 4 cpu\0 64-bit 0  bytes 3  \0\n\0"), write);
        Assert.Equal(command, OfdtCodec.Decode(write));
    }

    [Fact]
    public void A_node_without_properties_keeps_the_space_the_kernel_needs()
    {
        byte[] write = OfdtCodec.Encode(new OfdtCommand.AddNode("/ibm,persistent-memory", []));

        Assert.Equal(Bytes("add_node /ibm,persistent-memory "), write);
        Assert.Equal(new OfdtCommand.AddNode("/ibm,persistent-memory", []), OfdtCodec.Decode(write));
    }

    [Theory]
    [InlineData("remove_node /cpus/PowerPC,POWER9@8")]
    [InlineData("add_property 0x1111 ibm,foo 2 ab")]
    [InlineData("update_property 0x1111 ibm,dynamic-memory 4 \0\0\0\0")]
    [InlineData("remove_property 0x1111 ibm,foo")]
    public void Other_commands_round_trip_exactly(string text)
    {
        OfdtCommand command = OfdtCodec.Decode(Bytes(text));

        Assert.Equal(Bytes(text), OfdtCodec.Encode(command));
    }

    [Fact]
    public void Phandles_may_be_decimal_and_lengths_zero_padded_as_in_drmgrs_lpm_path()
    {
        OfdtCommand command = OfdtCodec.Decode(Bytes("update_property 4369 ibm,foo 000003 xyz"));

        Assert.Equal(new OfdtCommand.UpdateProperty(0x1111, new OfdtProperty("ibm,foo", Bytes("xyz"))), command);
    }

    [Fact]
    public void The_legacy_drconf_trailer_is_ignored_like_current_kernels_do()
    {
        OfdtCommand command = OfdtCodec.Decode(Bytes("update_property 0x1 ibm,dynamic-memory 4 abcd add 8 \0\0\0\0\u0010\0\0\0"));

        Assert.Equal(new OfdtCommand.UpdateProperty(1, new OfdtProperty("ibm,dynamic-memory", Bytes("abcd"))), command);
    }

    [Theory]
    [InlineData("add_node /cpus/x foo 3 abc\n", "foo value")] // a trailing newline after a value is EINVAL
    [InlineData("add_node /cpus/x", "add_node path")]
    [InlineData("add_node /cpus/x foo 9 abc", "foo value")]
    [InlineData("add_node /cpus/x foo x abc", "foo length")]
    [InlineData("add_node /cpus/x foo", "property name")]
    [InlineData("add_node / foo 1 a", "path")]
    [InlineData("remove_node", "command")]
    [InlineData("rename_node /a /b", "command")]
    [InlineData("add_property zz foo 1 a", "phandle")]
    [InlineData("remove_property 0x1 ", "remove_property name")]
    [InlineData("", "command")]
    [InlineData("add_node /ibm,persistent-memory \0", "property name")] // a NUL where a property would start
    public void Refuses_what_the_kernel_refuses(string text, string field)
    {
        var error = Assert.Throws<DlparFormatException>(() => OfdtCodec.Decode(Bytes(text)));

        Assert.Equal("ofdt", error.Format);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void The_encoder_refuses_paths_and_names_the_kernel_cannot_parse()
    {
        Assert.Throws<ArgumentException>(() => OfdtCodec.Encode(new OfdtCommand.RemoveNode("/has space")));
        Assert.Throws<ArgumentException>(() => OfdtCodec.Encode(new OfdtCommand.RemoveNode("relative")));
        Assert.Throws<ArgumentException>(() => new OfdtProperty("has space", ReadOnlyMemory<byte>.Empty));
    }
}
