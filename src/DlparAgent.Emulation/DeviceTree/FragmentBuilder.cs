using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.DeviceTree;

/// <summary>The device-tree fragment configure-connector walks for a connector's device (QEMU <c>dt_populate</c>).</summary>
internal static class FragmentBuilder
{
    public static DtNode Build(MachineState machine, EmulatedDrc drc)
    {
        DtNode fragment = drc.Kind switch
        {
            DrcKind.Cpu => machine.DeviceOf<CpuCoreDevice>(drc) is { } core
                ? CpuNode.Build(core.CoreId, core.Threads, drc.Index, CpuVersion(machine), HashTableShift(machine), withName: true)
                : throw Missing(drc),
            // QEMU gives an LMB's node no name property (the others get one).
            DrcKind.Lmb => DeviceNodes.Lmb(machine, drc, machine.DeviceOf<MemoryDevice>(drc)),
            DrcKind.Phb => machine.DeviceOf<PhbDevice>(drc) is { } phb ? Phb(machine, phb, drc, withName: true) : throw Missing(drc),
            // QEMU gives PCI functions no name property either.
            DrcKind.Pci => machine.DeviceOf<PciDevice>(drc) is { } pci ? DeviceNodes.Pci(pci, drc.Index) : throw Missing(drc),
            DrcKind.Pmem => machine.DeviceOf<PmemDevice>(drc) is { } pmem ? WithName(DeviceNodes.Pmem(machine, pmem, drc.Index),
                "ibm,pmemory") : throw Missing(drc),
            DrcKind.VioSlot => machine.DeviceOf<VioDevice>(drc) is { } vio ? WithName(DeviceNodes.Vio(vio, drc), vio.Model) : throw Missing(drc),
            _ => throw Missing(drc),
        };

        if (machine.Profile.Strict)
        {
            // LoPAR requires ibm,phandle in every node configure-connector returns; QEMU adds none.
            uint phandle = 0x40000000 | (drc.Index & 0x00FFFFFF) << 4;
            foreach (DtNode node in fragment.DescendantsAndSelf())
            {
                node.AddProperty(DtProperty.FromUInt32("ibm,phandle", phandle++));
            }
        }

        return fragment;
    }

    /// <summary>A PHB node with its connectors and, below it, every PCI function present on its root bus.</summary>
    public static DtNode Phb(MachineState machine, PhbDevice phb, EmulatedDrc drc, bool withName)
    {
        string path = $"/pci@{phb.Buid:x}";
        EmulatedDrc[] slots = [.. machine.ConnectorsInOrder.Where(d => d.Kind == DrcKind.Pci && d.ContainerPath == path)];
        DrcConnector[] connectors = [.. slots.Select(d => new DrcConnector(d.Index, d.Name, d.Type, d.PowerDomain))];
        DtNode node = PhbNode.Build(phb.Index, phb.Buid, drc.Index, connectors, UsesDrcInfo(machine), withName);
        foreach (EmulatedDrc slot in slots)
        {
            if (machine.DeviceOf<PciDevice>(slot) is { } device)
            {
                node.AddChild(DeviceNodes.Pci(device, slot.Index));
            }
        }

        return node;
    }

    /// <summary>A modern (Linux) guest selects POWER9 compatibility mode at CAS; without CAS the vCPU runs with its raw PVR.</summary>
    public static uint CpuVersion(MachineState machine) => machine.CasPerformed ? CpuNode.Power9CompatPvr : CpuNode.RawPvr;

    /// <summary>
    /// log2 of the hashed page table, chosen at reset as QEMU does (resize-hpt enabled): 1/128 of
    /// the RAM present then (boot memory and the DIMMs a reset has made cold-plugged), rounded up
    /// to a power of two, at least 2^18.
    /// </summary>
    public static int HashTableShift(MachineState machine)
    {
        ulong ram = machine.Profile.Memory;
        if (machine.Profile.Flavor == PlatformFlavor.Qemu)
        {
            foreach (MemoryDevice dimm in machine.Devices.OfType<MemoryDevice>().Where(d => d.Origin == DeviceOrigin.Boot))
            {
                ram += dimm.Size;
            }
        }

        int shift = 64 - System.Numerics.BitOperations.LeadingZeroCount(ram - 1) - 7;
        return Math.Clamp(shift, 18, 46);
    }

    public static bool UsesDrcInfo(MachineState machine) => (machine.Negotiated & Ov5.DrcInfo) != 0;

    private static DtNode WithName(DtNode node, string name)
    {
        node.AddProperty(DtProperty.FromString("name", name));
        return node;
    }

    private static InvalidOperationException Missing(EmulatedDrc drc) => new($"connector {drc.Name} has no device to describe");
}
