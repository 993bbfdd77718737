using DlparAgent.Core.Kernel;

namespace DlparAgent.Core.Tests.Kernel;

public sealed class LparcfgTests
{
    [Fact]
    public void Keys_and_values_are_read_and_the_version_line_is_not_a_key()
    {
        IReadOnlyDictionary<string, string> values = Lparcfg.Parse(
            "lparcfg 1.9\nserial_number=IBM,0210ABCDE\npartition_entitled_capacity=150\nDesired Entitled Capacity=x\nbad line\n=nothing\nslb_size=32");

        Assert.Equal("150", values["partition_entitled_capacity"]);
        Assert.Equal("IBM,0210ABCDE", values["serial_number"]);
        Assert.Equal("32", values["slb_size"]);
        Assert.Equal(4, values.Count);
        Assert.False(values.ContainsKey("lparcfg 1.9"));
    }
}
