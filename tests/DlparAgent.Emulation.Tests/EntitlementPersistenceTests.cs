using DlparAgent.Core.Formats;
using DlparAgent.Core.Kernel;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

/// <summary>The partition's entitlement is the hypervisor's: chosen by the profile, saved with the machine, kept over a reboot.</summary>
public sealed class EntitlementPersistenceTests
{
    private static readonly MachineProfile PowerVm = new() { Flavor = PlatformFlavor.PowerVm, BootCpus = 2, MaxCpus = 8, MaxMemory = 64 * MachineProfile.GiB };

    [Fact]
    public void A_powervm_partition_is_shared_processor_by_default_and_qemu_has_no_lparcfg()
    {
        EmulatedPartition powerVm = EmulatedPartition.Create(PowerVm, KernelFeatures.Modern, FixedClock.Default);
        IReadOnlyDictionary<string, string> lparcfg = powerVm.Kernel.ReadLparcfg()!;
        Assert.Equal(("150", "1", "128"), (lparcfg["partition_entitled_capacity"], lparcfg["shared_processor_mode"], lparcfg["capacity_weight"]));
        Assert.False(lparcfg.ContainsKey("entitled_memory"));

        Assert.Null(EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern, FixedClock.Default).Kernel.ReadLparcfg());
    }

    [Fact]
    public void A_dedicated_partition_is_entitled_to_its_cores_and_cannot_change_it()
    {
        EmulatedLparcfg dedicated = EmulatedLparcfg.ForProfile(PowerVm, dedicated: true)!;
        Assert.Equal((200UL, false), (dedicated.Capacity, dedicated.Limits.SharedProcessor));

        var error = Assert.Throws<KernelException>(() => dedicated.Write("partition_entitled_capacity=300\n"u8));
        Assert.Equal(Errno.EINVAL, error.Errno);
    }

    [Theory]
    [InlineData(9UL)]
    [InlineData(801UL)]
    public void An_entitlement_outside_the_partitions_range_is_refused(ulong units) =>
        Assert.Throws<ArgumentException>(() => EmulatedLparcfg.ForProfile(PowerVm, capacity: units));

    [Fact]
    public void The_pool_shrinks_as_the_partition_takes_and_grows_as_it_gives_back()
    {
        EmulatedLparcfg file = EmulatedLparcfg.ForProfile(PowerVm)!;
        file.Write("partition_entitled_capacity=500\n"u8);
        Assert.Equal((500UL, 50UL), (file.Capacity, file.PoolAvailable));

        // Beyond the pool: H_CONSTRAINED, success with the clipped value.
        file.Write("partition_entitled_capacity=700\n"u8);
        Assert.Equal((550UL, 0UL), (file.Capacity, file.PoolAvailable));

        file.Write("partition_entitled_capacity=300\n"u8);
        Assert.Equal((300UL, 250UL), (file.Capacity, file.PoolAvailable));
    }

    [Fact]
    public void The_entitlement_is_saved_with_the_machine_and_survives_a_reset()
    {
        EmulatedPartition partition = EmulatedPartition.Create(PowerVm, KernelFeatures.Modern,
            EmulatedLparcfg.ForProfile(PowerVm, capacity: 250, activeMemorySharing: true), FixedClock.Default);
        partition.Kernel.WriteLparcfg("partition_entitled_capacity=400\n");
        partition.Kernel.WriteLparcfg("entitled_memory_weight=99\n");

        EmulatedPartition loaded = EmulatedPartition.Load(MachineStateCodec.Decode(MachineStateCodec.Encode(partition.Persist()), "test"), FixedClock.Default);
        loaded.Reset();

        EmulatedLparcfg file = loaded.Kernel.Lparcfg!;
        Assert.Equal((400UL, 99UL, 250UL, true), (file.Capacity, file.MemoryWeight, file.PoolAvailable, file.Limits.ActiveMemorySharing));
    }

    [Fact]
    public void A_machine_without_an_entitlement_loads_without_one()
    {
        EmulatedPartition partition = EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern, FixedClock.Default);

        EmulatedPartition loaded = EmulatedPartition.Load(MachineStateCodec.Decode(MachineStateCodec.Encode(partition.Persist()), "test"), FixedClock.Default);

        Assert.Null(loaded.Kernel.Lparcfg);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(65)]
    [InlineData(67)]
    public void A_damaged_entitlement_section_is_named(int length)
    {
        byte[] good = LparcfgCodec.Encode(EmulatedLparcfg.ForProfile(PowerVm)!);
        byte[] damaged = length <= good.Length ? good[..length] : [.. good, .. new byte[length - good.Length]];

        Assert.Throws<DlparFormatException>(() => LparcfgCodec.Decode(damaged));
    }

    [Fact]
    public void A_damaged_entitlement_section_makes_the_state_unreadable_not_reset()
    {
        MachineState machine = EmulatedPartition.Create(PowerVm, KernelFeatures.Modern, FixedClock.Default).Persist();
        machine.Extensions[LparcfgCodec.ExtensionName] = [9];

        var error = Assert.Throws<StateFileException>(() => EmulatedPartition.Load(machine, FixedClock.Default));
        Assert.Contains("entitlement is damaged", error.Message, StringComparison.Ordinal);
    }
}
