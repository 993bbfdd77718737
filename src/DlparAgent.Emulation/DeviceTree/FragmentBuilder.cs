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
                ? CpuNode.Build(core.CoreId, core.Threads, drc.Index, withName: true)
                : throw Missing(drc),
            DrcKind.Lmb => WithName(DeviceNodes.Lmb(machine, drc, machine.DeviceOf<MemoryDevice>(drc)), "memory"),
            DrcKind.Phb => machine.DeviceOf<PhbDevice>(drc) is { } phb ? Phb(machine, phb, drc, withName: true) : throw Missing(drc),
            DrcKind.Pci => machine.DeviceOf<PciDevice>(drc) is { } pci ? WithName(DeviceNodes.Pci(pci, drc.Index), pci.Model.NodeName) : throw Missing(drc),
            DrcKind.Pmem => machine.DeviceOf<PmemDevice>(drc) is { } pmem ? WithName(DeviceNodes.Pmem(machine, pmem, drc.Index), "ibm,pmemory") : throw Missing(drc),
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
                node.AddChild(withName ? WithName(DeviceNodes.Pci(device, slot.Index), device.Model.NodeName) : DeviceNodes.Pci(device, slot.Index));
            }
        }

        return node;
    }

    public static bool UsesDrcInfo(MachineState machine) => (machine.Negotiated & Ov5.DrcInfo) != 0;

    private static DtNode WithName(DtNode node, string name)
    {
        node.AddProperty(DtProperty.FromString("name", name));
        return node;
    }

    private static InvalidOperationException Missing(EmulatedDrc drc) => new($"connector {drc.Name} has no device to describe");
}
