using DlparAgent.Core.Kernel;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

/// <summary>The kernel console on the emulated kernel: each line's write and the errno it answers, as a script sees them.</summary>
public sealed class KernelConsoleTests
{
    private readonly EmulatedPartition _partition = EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern, FixedClock.Default);

    public KernelConsoleTests() => _partition.Platform.Management.PlugMemory(512 * MachineProfile.MiB, 0, null, DeviceOrigin.Assigned);

    [Theory]
    [InlineData("dlpar memory add count 1", "0")]
    [InlineData("dlpar memory add count 1\\n", "0")]
    [InlineData("dlpar memory add count 3", "EINVAL")]
    [InlineData("dlpar foo", "EINVAL")]
    [InlineData("dlpar memory remove index 0xdeadbeef", "EINVAL")]
    [InlineData("cpu 0 offline", "EBUSY")]
    [InlineData("cpu 0 online", "0")]
    [InlineData("cpu 5 offline", "0")]
    [InlineData("cpu 5 online", "EINVAL")]
    [InlineData("cpu 8 offline", "ENOENT")]
    [InlineData("memory 40 offline", "ENOENT")]
    [InlineData("ofdt remove_node /nonexistent", "ENODEV")]
    [InlineData("ofdt garbage", "EINVAL")]
    [InlineData("property /cpus/#size-cells", "0 00000000")]
    [InlineData("property /cpus/nothing", "ENOENT")]
    [InlineData("bogus 1", "error: unknown verb 'bogus' (dlpar, ofdt, memory, cpu, property)")]
    [InlineData("memory x online", "error: expected a number and online or offline")]
    [InlineData("dlpar \\q", "error: bad escape at 0: use \\n, \\\\ or \\xHH")]
    [InlineData("property nothing", "error: expected a property's path, e.g. /ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2")]
    public void Each_line_answers_the_errno_of_its_write(string line, string answer) =>
        Assert.Equal(answer, new KernelConsole(_partition.Kernel).Execute(line));

    [Fact]
    public void Writes_change_the_kernel_and_comments_answer_nothing()
    {
        var console = new KernelConsole(_partition.Kernel);
        Assert.Null(console.Execute("  # a comment"));
        Assert.Null(console.Execute(string.Empty));

        Assert.Equal("0", console.Execute("dlpar memory add count 2"));
        MemoryBlock added = Assert.Single(_partition.Kernel.ReadMemoryBlocks(), b => b.Number == 8);
        Assert.True(added.Online);

        Assert.Equal("0", console.Execute("memory 8 offline"));
        Assert.False(Assert.Single(_partition.Kernel.ReadMemoryBlocks(), b => b.Number == 8).Online);
        Assert.Equal("0", console.Execute("memory 8 online"));
        Assert.Equal("EINVAL", console.Execute("memory 8 online"));
        Assert.Equal("0", console.Execute("dlpar memory remove count 2"));
        Assert.DoesNotContain(_partition.Kernel.ReadMemoryBlocks(), b => b.Number == 8);
    }
}
