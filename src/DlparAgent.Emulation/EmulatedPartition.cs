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

    public static EmulatedPartition Create(MachineProfile profile, KernelFeatures features, TimeProvider? time = null)
    {
        EmulatedPlatform platform = EmulatedPlatform.Create(profile, time);
        return new EmulatedPartition(platform, EmulatedKernel.Boot(platform.ReadBootTree(), features));
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

        return new EmulatedPartition(platform, kernel);
    }

    /// <summary>Machine reset: the platform resets (and, modern, negotiates again); the guest boots anew.</summary>
    public void Reset()
    {
        KernelFeatures features = Kernel.State.Features;
        Platform.Management.Reset();
        Kernel = new EmulatedKernel(EmulatedKernel.Boot(Platform.ReadBootTree(), features), Platform);
    }

    /// <summary>Stores the guest's state in the machine state, ready to save.</summary>
    public MachineState Persist()
    {
        Platform.State.Extensions[KernelStateCodec.ExtensionName] = KernelStateCodec.Encode(Kernel.State);
        return Platform.State;
    }
}
