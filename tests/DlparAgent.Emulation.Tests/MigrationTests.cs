using DlparAgent.Core.Formats;
using DlparAgent.Core.Kernel;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

/// <summary>The emulated kernel's migration interface and the hypervisor's VASI streams behind it.</summary>
public sealed class MigrationTests
{
    private static readonly MachineProfile PowerVm = new() { Flavor = PlatformFlavor.PowerVm, MaxCpus = 8, MaxMemory = 64 * MachineProfile.GiB };

    private readonly EmulatedPartition _partition = EmulatedPartition.Create(PowerVm, KernelFeatures.Modern, FixedClock.Default);

    [Fact]
    public void A_powervm_partition_is_migratable_through_api_version_1_and_qemu_has_no_interface()
    {
        Assert.Equal(1, _partition.Kernel.ReadMigrationApiVersion());
        Assert.True(_partition.Kernel.ReadDeviceTree().HasProperty("ibm,migratable-partition"));

        EmulatedPartition qemu = EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern, FixedClock.Default);
        Assert.Null(qemu.Kernel.ReadMigrationApiVersion());
        Assert.False(qemu.Kernel.ReadDeviceTree().HasProperty("ibm,migratable-partition"));
        Assert.Equal(Errno.ENOENT, Assert.Throws<KernelException>(() => qemu.Kernel.WriteMigration(1)).Errno);

        // Linux 6.1 under QEMU has the hibernation file, and a write to it fails with ENOENT (seen in the real guest).
        Assert.True(qemu.Kernel.HasHibernation());
        Assert.Equal(Errno.ENOENT, Assert.Throws<KernelException>(() => qemu.Kernel.WriteHibernation(1)).Errno);
    }

    [Fact]
    public void Hibernation_suspends_on_the_hmcs_stream_as_a_migration_does()
    {
        ulong stream = _partition.Kernel.Migration!.Open();

        _partition.Kernel.WriteHibernation(stream);

        Assert.Equal(1, _partition.Kernel.Migration.Completed);
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => _partition.Kernel.WriteHibernation(stream)).Errno);
    }

    [Fact]
    public void The_kernel_suspends_only_on_the_stream_the_hmc_opened_and_only_once()
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => _partition.Kernel.WriteMigration(0x4d4947000001)).Errno);

        ulong stream = _partition.Kernel.Migration!.Open();
        Assert.Throws<InvalidOperationException>(() => _partition.Kernel.Migration.Open());
        _partition.Kernel.WriteMigration(stream);

        Assert.Equal((1, null), (_partition.Kernel.Migration.Completed, _partition.Kernel.Migration.OpenStream));
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => _partition.Kernel.WriteMigration(stream)).Errno);
    }

    [Fact]
    public void A_failed_suspend_leaves_the_stream_open_for_another_try()
    {
        ulong stream = _partition.Kernel.Migration!.Open();
        _partition.Kernel.WriteFault = (write, _) => write == "migration" ? Errno.EAGAIN : null;

        Assert.Equal(Errno.EAGAIN, Assert.Throws<KernelException>(() => _partition.Kernel.WriteMigration(stream)).Errno);

        _partition.Kernel.WriteFault = null;
        _partition.Kernel.WriteMigration(stream);
        Assert.Equal(1, _partition.Kernel.Migration.Completed);
    }

    [Fact]
    public void Streams_are_saved_with_the_machine_and_survive_a_reset()
    {
        ulong stream = _partition.Kernel.Migration!.Open();

        EmulatedPartition loaded = EmulatedPartition.Load(MachineStateCodec.Decode(MachineStateCodec.Encode(_partition.Persist()), "test"), FixedClock.Default);
        loaded.Reset();

        Assert.Equal(stream, loaded.Kernel.Migration!.OpenStream);
        loaded.Kernel.WriteMigration(stream);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void A_damaged_section_is_named(byte[] section) => Assert.Throws<DlparFormatException>(() => MigrationCodec.Decode(section));
}
