using DlparAgent.Core.Formats;

namespace DlparAgent.Core.Tests.Formats;

public class CNumberTests
{
    [Theory]
    [InlineData("0", 0u)]
    [InlineData("10", 10u)]
    [InlineData("010", 8u)]
    [InlineData("0x10", 16u)]
    [InlineData("0XfF", 255u)]
    [InlineData("4294967295", 4294967295u)]
    [InlineData("0xffffffff", 4294967295u)]
    public void Parses_c_numbers(string text, uint expected)
    {
        Assert.True(CNumber.TryParseU32(text, out uint value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("08")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1 ")]
    [InlineData("4294967296")]
    [InlineData("0x100000000")]
    [InlineData("12a")]
    public void Refuses_anything_else(string text) => Assert.False(CNumber.TryParseU32(text, out _));

    [Theory]
    [InlineData("+7\n", true, 7u)]
    [InlineData("7\n", true, 7u)]
    [InlineData("7\n\n", false, 0u)]
    [InlineData("\n", false, 0u)]
    public void Kernel_flavour_allows_a_plus_and_one_newline(string text, bool ok, uint expected)
    {
        Assert.Equal(ok, CNumber.TryParseKernelU32(text, out uint value));
        Assert.Equal(expected, value);
    }
}
