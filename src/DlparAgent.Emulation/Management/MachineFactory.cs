using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Management;

/// <summary>Builds a machine from a profile: every connector QEMU creates at init, the boot devices, then CAS.</summary>
internal static class MachineFactory
{
    /// <summary>What a modern Linux asks for at CAS under this profile.</summary>
    public static Ov5 ModernRequest(MachineProfile profile) =>
        Ov5.DrconfMemory | Ov5.HotplugEvents
        | (profile.DrmemV2 ? Ov5.DrmemV2 : Ov5.None)
        | (profile.Flavor == PlatformFlavor.PowerVm ? Ov5.DrcInfo : Ov5.None);

    public static void Populate(MachineState machine, PlatformManager manager)
    {
        MachineProfile profile = machine.Profile;
        for (int core = 0; core < profile.MaxCores; core++)
        {
            int coreId = core * profile.Threads;
            machine.AddDrc(new EmulatedDrc(DrcNumbering.Cpu(coreId), DrcNumbering.Name("CPU ", coreId), "CPU", DrcKind.Cpu, uint.MaxValue, "/cpus"));
        }

        for (uint i = 0; i < profile.LmbConnectorCount; i++)
        {
            uint id = profile.FirstLmbId + i;
            machine.AddDrc(new EmulatedDrc(DrcNumbering.Lmb(id), DrcNumbering.Name("LMB ", id), "MEM", DrcKind.Lmb, uint.MaxValue, "/"));
        }

        for (int phb = 0; phb < MachineProfile.MaxPhbs; phb++)
        {
            machine.AddDrc(new EmulatedDrc(DrcNumbering.Phb(phb), DrcNumbering.Name("PHB ", phb), "PHB", DrcKind.Phb, uint.MaxValue, "/"));
        }

        if (profile.Flavor == PlatformFlavor.Qemu)
        {
            for (int slot = 0; slot < profile.MemorySlots; slot++)
            {
                machine.AddDrc(new EmulatedDrc(DrcNumbering.Pmem(slot), DrcNumbering.Name("PMEM ", slot), "PMEM", DrcKind.Pmem, uint.MaxValue, "/"));
            }
        }
        else
        {
            for (int slot = 2; slot < 2 + 16; slot++)
            {
                machine.AddDrc(new EmulatedDrc(DrcNumbering.Vio(slot), DrcNumbering.Name(DrcNumbering.VioLocationPrefix, slot), "SLOT", DrcKind.VioSlot,
                    uint.MaxValue, "/vdevice"));
            }
        }

        DeviceOrigin bootOrigin = profile.Flavor == PlatformFlavor.PowerVm ? DeviceOrigin.Assigned : DeviceOrigin.Boot;
        for (int core = 0; core < profile.BootCores; core++)
        {
            Configured(machine, manager.PlugCpu(core * profile.Threads, null, DeviceOrigin.Boot), bootOrigin);
        }

        for (int phb = 0; phb < profile.BootPhbs; phb++)
        {
            Configured(machine, manager.PlugPhb(phb, null, DeviceOrigin.Boot), DeviceOrigin.Boot);
        }

        if (profile.Flavor == PlatformFlavor.PowerVm)
        {
            // PowerVM: boot memory is made of DR-capable LMBs the partition owns.
            Configured(machine, manager.PlugMemory(profile.Memory, 0, "bootmem", DeviceOrigin.Boot), DeviceOrigin.Assigned);
            machine.NextMemoryNumber = 0;
            Configured(machine, manager.PlugVio(2, "l-lan", null, DeviceOrigin.Boot), DeviceOrigin.Assigned);
            Configured(machine, manager.PlugVio(3, "v-scsi", null, DeviceOrigin.Boot), DeviceOrigin.Assigned);
        }

        if (profile.Negotiation == NegotiationMode.Modern)
        {
            manager.ClientArchitectureSupport(ModernRequest(profile));
        }
        else
        {
            manager.RebuildTree();
        }

    }

    private static void Configured(MachineState machine, string id, DeviceOrigin origin) => machine.FindDevice(id)!.Origin = origin;
}
