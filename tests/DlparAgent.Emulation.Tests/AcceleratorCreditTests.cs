using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Kernel;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

/// <summary>The NX gzip accelerator's QoS credits on the emulated PowerVM partition, through <see cref="AcceleratorCreditUpdate"/>.</summary>
public sealed class AcceleratorCreditTests
{
    private static readonly MachineProfile PowerVm = new() { Flavor = PlatformFlavor.PowerVm, MaxCpus = 8, MaxMemory = 64 * MachineProfile.GiB };

    private readonly EmulatedPartition _partition = EmulatedPartition.Create(PowerVm, KernelFeatures.Modern, FixedClock.Default);

    [Fact]
    public void Credits_the_windows_hold_follow_the_total()
    {
        _partition.Kernel.Vas!.OpenQosWindows = 30;

        Assert.Equal(new AcceleratorCreditResult("gzip", 0, 50, 30), AcceleratorCreditUpdate.Apply(_partition.Kernel, "gzip", 50));

        // Fewer credits than open windows: the kernel closes the excess until credits return.
        Assert.Equal(new AcceleratorCreditResult("gzip", 50, 10, 10), AcceleratorCreditUpdate.Apply(_partition.Kernel, "gzip", 10));
        Assert.Equal(new AcceleratorCreditResult("gzip", 10, 60, 30), AcceleratorCreditUpdate.Apply(_partition.Kernel, "gzip", 60));
    }

    [Theory]
    [InlineData("deflate", 5L, AcceleratorProblem.Invalid)]
    [InlineData("../gzip", 5L, AcceleratorProblem.Invalid)]
    [InlineData("gzip", -1L, AcceleratorProblem.Invalid)]
    [InlineData("gzip", 65536L, AcceleratorProblem.Invalid)]
    public void A_type_or_count_the_kernel_cannot_take_is_refused_before_any_write(string type, long credits, AcceleratorProblem problem)
    {
        var error = Assert.Throws<AcceleratorException>(() => AcceleratorCreditUpdate.Apply(_partition.Kernel, type, credits));

        Assert.Equal(problem, error.Problem);
        Assert.Equal(0, _partition.Kernel.Vas!.QosCredits);
    }

    [Fact]
    public void The_kernels_refusal_carries_its_errno()
    {
        _partition.Kernel.WriteFault = (write, _) => write == "accelerator-credits" ? Errno.EINVAL : null;

        var error = Assert.Throws<AcceleratorException>(() => AcceleratorCreditUpdate.Apply(_partition.Kernel, "gzip", 5));

        Assert.Equal(AcceleratorProblem.Refused, error.Problem);
        Assert.Equal(Errno.EINVAL, Assert.IsType<KernelException>(error.InnerException).Errno);
    }

    [Fact]
    public void A_qemu_partition_has_no_accelerator()
    {
        EmulatedPartition qemu = EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern, FixedClock.Default);

        Assert.Null(qemu.Kernel.ReadAcceleratorCredits("gzip"));
        Assert.Equal(AcceleratorProblem.Unsupported, Assert.Throws<AcceleratorException>(() => AcceleratorCreditUpdate.Apply(qemu.Kernel, "gzip", 5)).Problem);
        Assert.Equal(Errno.ENOENT, Assert.Throws<KernelException>(() => qemu.Kernel.WriteAcceleratorCredits("gzip", 5)).Errno);
    }

    [Fact]
    public void Credits_are_saved_with_the_machine_and_survive_a_reset_which_closes_the_windows()
    {
        _partition.Kernel.Vas!.OpenQosWindows = 3;
        AcceleratorCreditUpdate.Apply(_partition.Kernel, "gzip", 40);

        EmulatedPartition loaded = EmulatedPartition.Load(MachineStateCodec.Decode(MachineStateCodec.Encode(_partition.Persist()), "test"), FixedClock.Default);
        Assert.Equal((160, 40, 3), (loaded.Kernel.Vas!.DefaultCredits, loaded.Kernel.Vas.QosCredits, loaded.Kernel.Vas.OpenQosWindows));

        loaded.Reset();
        Assert.Equal(new AcceleratorCredits(40, 0), loaded.Kernel.ReadAcceleratorCredits("gzip"));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void A_damaged_section_is_named(byte[] section) => Assert.Throws<DlparFormatException>(() => VasCodec.Decode(section));
}
