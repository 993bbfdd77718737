using DlparAgent.Core.Formats;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Emulation;

/// <summary>
/// An emulated partition: the platform (firmware and hypervisor) and the guest kernel booted on
/// it, persisted together. A machine reset reboots the guest on the new device tree.
/// </summary>
public sealed class EmulatedPartition
{
    private EmulatedPartition(EmulatedPlatform platform, KernelState kernel)
    {
        Platform = platform;
        Kernel = new EmulatedKernel(kernel, platform);
    }

    public EmulatedPlatform Platform { get; }

    public EmulatedKernel Kernel { get; private set; }

    /// <summary>A new partition; a PowerVM one is a shared-processor partition with the default entitlement.</summary>
    public static EmulatedPartition Create(MachineProfile profile, KernelFeatures features, TimeProvider? time = null) =>
        Create(profile, features, EmulatedLparcfg.ForProfile(profile), time);

    /// <param name="lparcfg">The hypervisor's entitlement the guest's lparcfg shows, or null for none (QEMU).</param>
    public static EmulatedPartition Create(MachineProfile profile, KernelFeatures features, EmulatedLparcfg? lparcfg, TimeProvider? time = null)
    {
        EmulatedPlatform platform = EmulatedPlatform.Create(profile, time);
        var partition = new EmulatedPartition(platform, EmulatedKernel.Boot(platform.ReadBootTree(), features));
        partition.Kernel.Lparcfg = lparcfg;

        // PowerVM partitions on Power10 have the NX gzip accelerator; QEMU has none.
        partition.Kernel.Vas = profile.Flavor == PlatformFlavor.PowerVm ? EmulatedVas.ForCores(profile.MaxCores) : null;
        partition.Kernel.Migration = profile.Flavor == PlatformFlavor.PowerVm ? new EmulatedMigration() : null;
        return partition;
    }

    /// <summary>Restores a partition; a machine saved without a guest gets a freshly booted modern one.</summary>
    public static EmulatedPartition Load(MachineState machine, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var platform = new EmulatedPlatform(machine, time);
        KernelState kernel;
        if (machine.Extensions.TryGetValue(KernelStateCodec.ExtensionName, out byte[]? bytes))
        {
            try
            {
                kernel = KernelStateCodec.Decode(bytes);
            }
            catch (DlparFormatException error)
            {
                throw new StateFileException(StateProblem.Unreadable, $"the guest kernel's state is damaged: {error.Message}", error);
            }
        }
        else
        {
            kernel = EmulatedKernel.Boot(platform.ReadBootTree(), KernelFeatures.Modern);
        }

        var partition = new EmulatedPartition(platform, kernel);
        partition.Kernel.Lparcfg = Section(machine, LparcfgCodec.ExtensionName, "the partition's entitlement", b => LparcfgCodec.Decode(b));
        partition.Kernel.Vas = Section(machine, VasCodec.ExtensionName, "the partition's accelerator credits", b => VasCodec.Decode(b));
        partition.Kernel.Migration = Section(machine, MigrationCodec.ExtensionName, "the partition's migration state", b => MigrationCodec.Decode(b));
        return partition;
    }

    /// <summary>Machine reset: the platform resets (and, modern, negotiates again); the guest boots anew.</summary>
    public void Reset()
    {
        KernelFeatures features = Kernel.State.Features;
        Platform.Management.Reset();
        // The entitlement and accelerator credits are the hypervisor's: they survive the reboot (windows do not).
        EmulatedVas? vas = Kernel.Vas is { } old ? new EmulatedVas(old.DefaultCredits, old.QosCredits) : null;
        Kernel = new EmulatedKernel(EmulatedKernel.Boot(Platform.ReadBootTree(), features), Platform)
        {
            Lparcfg = Kernel.Lparcfg,
            Vas = vas,
            Migration = Kernel.Migration,
        };
    }

    /// <summary>Stores the guest's state in the machine state, ready to save.</summary>
    public MachineState Persist()
    {
        Platform.State.Extensions[KernelStateCodec.ExtensionName] = KernelStateCodec.Encode(Kernel.State);
        Store(LparcfgCodec.ExtensionName, Kernel.Lparcfg is { } entitlement ? LparcfgCodec.Encode(entitlement) : null);
        Store(VasCodec.ExtensionName, Kernel.Vas is { } vas ? VasCodec.Encode(vas) : null);
        Store(MigrationCodec.ExtensionName, Kernel.Migration is { } migration ? MigrationCodec.Encode(migration) : null);
        return Platform.State;
    }

    private void Store(string name, byte[]? section)
    {
        if (section is null)
        {
            Platform.State.Extensions.Remove(name);
        }
        else
        {
            Platform.State.Extensions[name] = section;
        }
    }

    /// <summary>An optional section of the saved machine; a damaged one makes the state unreadable, never reset.</summary>
    private static T? Section<T>(MachineState machine, string name, string what, Func<byte[], T> decode)
        where T : class
    {
        if (!machine.Extensions.TryGetValue(name, out byte[]? bytes))
        {
            return null;
        }

        try
        {
            return decode(bytes);
        }
        catch (DlparFormatException error)
        {
            throw new StateFileException(StateProblem.Unreadable, $"{what} is damaged: {error.Message}", error);
        }
    }
}
