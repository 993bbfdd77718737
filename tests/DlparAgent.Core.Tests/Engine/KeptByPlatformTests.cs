using DlparAgent.Core.Engine;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// QEMU isolates only LMBs of a DIMM being unplugged. A removal by the kernel of LMBs nobody
/// unplugged is therefore not done: the engine senses the connectors afterwards, offers them back
/// to the kernel, and reports them as not removed; the platform's later unplug then completes.
/// </summary>
public sealed class KeptByPlatformTests
{
    [Theory]
    [InlineData("memory remove count 2")]
    [InlineData("memory remove index 0x80000009")]
    [InlineData("memory remove indexed-count 2 0x80000008")]
    public void Lmbs_the_platform_keeps_after_the_kernels_removal_are_not_reported_removed(string request)
    {
        var h = new EngineHarness("memory,cpu,dt");
        string dimm = h.Partition.Platform.Management.PlugMemory(2 * MachineProfile.LmbSize);
        h.Partition.Kernel.TakeInterrupts();
        Assert.True(h.Owned().Contains(0x80000008) && h.Owned().Contains(0x80000009), "the kernel did not add the plugged DIMM");

        DlparResult result = h.Run(request);

        Assert.Equal(0, result.Done);
        Assert.False(result.Complete);
        Assert.Contains("kept by the platform (no unplug was requested)", result.Error, StringComparison.Ordinal);
        Assert.All(result.Connectors, c => Assert.Contains("the platform would not take it back", c.Detail, StringComparison.Ordinal));

        // The HMC's unplug is not blocked: the next memory operation gives the lent LMBs back and QEMU deletes the DIMM.
        h.Partition.Platform.Management.Unplug(dimm);
        h.Partition.Kernel.TakeInterrupts();
        h.Run("memory remove count 1");
        Assert.DoesNotContain(h.Partition.Platform.State.Devices, d => d.Id == dimm);
    }
}
