using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.DeviceTree;

/// <summary>
/// The device tree the platform hands the guest at reset or CAS (QEMU <c>spapr_build_fdt</c>):
/// connectors described where QEMU describes them, configured devices as nodes, the RTAS tokens,
/// the event sources, the negotiated option vector and the dynamic-reconfiguration memory.
/// </summary>
internal static class BootTreeBuilder
{
    public static FlattenedDeviceTree Build(MachineState machine)
    {
        MachineProfile profile = machine.Profile;
        bool drcInfo = FragmentBuilder.UsesDrcInfo(machine);
        var root = new DtNode(string.Empty);
        root.AddProperty(DtProperty.FromUInt32("#address-cells", 2));
        root.AddProperty(DtProperty.FromUInt32("#size-cells", 2));
        root.AddProperty(DtProperty.FromString("device_type", "chrp"));
        root.AddProperty(DtProperty.FromString("model", profile.Flavor == PlatformFlavor.Qemu ? "IBM pSeries (emulated by qemu)" : "IBM,9080-HEX"));
        root.AddProperty(DtProperty.FromString("compatible", profile.Flavor == PlatformFlavor.Qemu ? "qemu,pseries" : "IBM,9080-HEX"));
        if (profile.Flavor == PlatformFlavor.PowerVm)
        {
            // An LPAR says so (lsslot -c cpu requires it); QEMU's pseries does not.
            root.AddProperty(new DtProperty("ibm,lpar-capable", []));

            // A PowerVM partition may be moved (Live Partition Mobility) unless the HMC says otherwise.
            root.AddProperty(new DtProperty("ibm,migratable-partition", []));
        }

        DrcProperties.Add(root, Describe(machine, d => d.ContainerPath == "/"), drcInfo);

        root.AddChild(Chosen(machine));
        root.AddChild(Rtas(machine));
        root.AddChild(EventSources());
        root.AddChild(Cpus(machine, drcInfo));
        root.AddChild(BootMemory(machine));
        if (profile.MemorySlots > 0)
        {
            DtNode pmem = root.AddChild("ibm,persistent-memory");
            pmem.AddProperty(DtProperty.FromString("device_type", "ibm,persistent-memory"));
            pmem.AddProperty(DtProperty.FromUInt32("#address-cells", 1));
            pmem.AddProperty(DtProperty.FromUInt32("#size-cells", 0));
            foreach (EmulatedDrc drc in Present(machine, DrcKind.Pmem))
            {
                pmem.AddChild(DeviceNodes.Pmem(machine, machine.DeviceOf<PmemDevice>(drc)!, drc.Index));
            }
        }

        foreach (EmulatedDrc drc in Present(machine, DrcKind.Phb))
        {
            root.AddChild(FragmentBuilder.Phb(machine, machine.DeviceOf<PhbDevice>(drc)!, drc, withName: false));
        }

        root.AddChild(Vdevice(machine, drcInfo));
        if ((machine.Negotiated & Ov5.DrconfMemory) != 0 && machine.Connectors.Any(d => d.Kind == DrcKind.Lmb))
        {
            root.AddChild(DynamicMemory(machine));
        }
        else
        {
            // Without drconf memory, configured LMBs are plain memory nodes (the old layout).
            foreach (EmulatedDrc drc in Present(machine,
                DrcKind.Lmb).Where(d => machine.DeviceOf<MemoryDevice>(d)?.Origin != DeviceOrigin.Boot || profile.Flavor == PlatformFlavor.PowerVm))
            {
                DtNode node = DeviceNodes.Lmb(machine, drc, machine.DeviceOf<MemoryDevice>(drc));
                if (root.GetChild(node.Name) is null)
                {
                    node.AddProperty(DtProperty.FromUInt32("ibm,my-drc-index", drc.Index));
                    root.AddChild(node);
                }
            }
        }

        return new FlattenedDeviceTree(root);
    }

    /// <summary>The option vector 5 bytes as QEMU publishes them: a length byte, then bytes up to the highest one set.</summary>
    public static byte[] ArchitectureVector5(MachineState machine)
    {
        Ov5 ov5 = machine.Negotiated;
        byte[] bytes = new byte[24];
        if (machine.CasPerformed)
        {
            bytes[5] = 0xA0; // radix and hash MMU, as QEMU negotiates with a modern guest
            bytes[6] = 0x01;
        }

        if ((ov5 & Ov5.DrconfMemory) != 0)
        {
            bytes[2] |= 0x20;
        }

        if ((ov5 & Ov5.HotplugEvents) != 0)
        {
            bytes[6] |= 0x04;
        }

        if ((ov5 & Ov5.DrmemV2) != 0)
        {
            bytes[22] |= 0x80;
        }

        if ((ov5 & Ov5.DrcInfo) != 0)
        {
            bytes[22] |= 0x40;
        }

        int last = Array.FindLastIndex(bytes, b => b != 0);
        int length = Math.Max(1, last);
        byte[] vector = new byte[length + 1];
        vector[0] = (byte)(length - 1);
        Array.Copy(bytes, 1, vector, 1, length);
        return vector;
    }

    private static DtNode Chosen(MachineState machine)
    {
        var chosen = new DtNode("chosen");
        chosen.AddProperty(new DtProperty("ibm,architecture-vec-5", ArchitectureVector5(machine)));
        return chosen;
    }

    private static DtNode Rtas(MachineState machine)
    {
        MachineProfile profile = machine.Profile;
        var rtas = new DtNode("rtas");
        foreach ((string name, uint token) in RtasTokens.All)
        {
            rtas.AddProperty(DtProperty.FromUInt32(name, token));
        }

        ulong maxAddress = profile.DeviceMemoryBase + profile.DeviceMemorySize;
        rtas.AddProperty(DtProperty.FromCells("ibm,lrdr-capacity",
            [(uint)(maxAddress >> 32), (uint)maxAddress, 0, (uint)MachineProfile.LmbSize, (uint)profile.MaxCores]));
        rtas.AddProperty(DtProperty.FromUInt32("rtas-event-scan-rate", 1));
        rtas.AddProperty(DtProperty.FromUInt32("rtas-error-log-max", 2048));
        AddNuma(rtas, machine);
        return rtas;
    }

    /// <summary>One NUMA node, described as QEMU 7.2 does: FORM2 tables after CAS, FORM1 reference points before.</summary>
    private static void AddNuma(DtNode rtas, MachineState machine)
    {
        if (machine.Negotiated != Ov5.None)
        {
            rtas.AddProperty(new DtProperty("ibm,numa-distance-table", [0x00, 0x00, 0x00, 0x01, 0x0A]));
            rtas.AddProperty(DtProperty.FromCells("ibm,numa-lookup-index-table", [1, 0]));
            rtas.AddProperty(DtProperty.FromCells("ibm,max-associativity-domains", [1, 1]));
            rtas.AddProperty(DtProperty.FromCells("ibm,associativity-reference-points", [1]));
        }
        else
        {
            rtas.AddProperty(DtProperty.FromCells("ibm,max-associativity-domains", [4, 0, 0, 0, 1]));
            rtas.AddProperty(DtProperty.FromCells("ibm,associativity-reference-points", [4, 4, 2]));
        }
    }

    private static DtNode EventSources()
    {
        var sources = new DtNode("event-sources");
        sources.AddProperty(DtProperty.Empty("interrupt-controller"));
        sources.AddProperty(DtProperty.FromUInt32("#interrupt-cells", 2));
        sources.AddProperty(DtProperty.FromCells("interrupt-ranges", [PaprFirmware.EpowIrq, 1, PaprFirmware.HotplugIrq, 1]));
        sources.AddChild("epow-events").AddProperty(DtProperty.FromCells("interrupts", [PaprFirmware.EpowIrq, 0]));
        sources.AddChild("hot-plug-events").AddProperty(DtProperty.FromCells("interrupts", [PaprFirmware.HotplugIrq, 0]));
        return sources;
    }

    private static DtNode Cpus(MachineState machine, bool drcInfo)
    {
        var cpus = new DtNode("cpus");
        cpus.AddProperty(DtProperty.FromUInt32("#address-cells", 1));
        cpus.AddProperty(DtProperty.FromUInt32("#size-cells", 0));
        DrcProperties.Add(cpus, Describe(machine, d => d.Kind == DrcKind.Cpu), drcInfo);
        foreach (EmulatedDrc drc in Present(machine, DrcKind.Cpu))
        {
            CpuCoreDevice core = machine.DeviceOf<CpuCoreDevice>(drc)!;
            cpus.AddChild(CpuNode.Build(core.CoreId, core.Threads, drc.Index, FragmentBuilder.CpuVersion(machine), FragmentBuilder.HashTableShift(machine),
                withName: false));
        }

        return cpus;
    }

    private static DtNode BootMemory(MachineState machine)
    {
        ulong size = machine.Profile.Flavor == PlatformFlavor.Qemu ? machine.Profile.Memory : MachineProfile.LmbSize;
        var memory = new DtNode("memory@0");
        memory.AddProperty(DtProperty.FromString("device_type", "memory"));
        memory.AddProperty(DtProperty.FromCells("reg", [0, 0, (uint)(size >> 32), (uint)size]));
        memory.AddProperty(DtProperty.FromCells("ibm,associativity", DeviceNodes.Associativity(machine, 0)));
        return memory;
    }

    private static DtNode Vdevice(MachineState machine, bool drcInfo)
    {
        var vdevice = new DtNode("vdevice");
        vdevice.AddProperty(DtProperty.FromString("device_type", "vdevice"));
        vdevice.AddProperty(DtProperty.FromString("compatible", "IBM,vdevice"));
        vdevice.AddProperty(DtProperty.FromUInt32("#address-cells", 1));
        vdevice.AddProperty(DtProperty.FromUInt32("#size-cells", 0));
        vdevice.AddProperty(DtProperty.FromUInt32("#interrupt-cells", 2));
        vdevice.AddProperty(DtProperty.Empty("interrupt-controller"));
        DrcProperties.Add(vdevice, Describe(machine, d => d.Kind == DrcKind.VioSlot), drcInfo);
        DtNode vty = vdevice.AddChild("vty@71000000");
        vty.AddProperty(DtProperty.FromUInt32("reg", 0x71000000));
        vty.AddProperty(DtProperty.FromString("device_type", "serial"));
        vty.AddProperty(DtProperty.FromString("compatible", "hvterm1"));
        foreach (EmulatedDrc drc in Present(machine, DrcKind.VioSlot))
        {
            vdevice.AddChild(DeviceNodes.Vio(machine.DeviceOf<VioDevice>(drc)!, drc));
        }

        return vdevice;
    }

    private static DtNode DynamicMemory(MachineState machine)
    {
        var node = new DtNode("ibm,dynamic-reconfiguration-memory");
        node.AddProperty(new DtProperty(LmbSize.PropertyName, LmbSize.Write(MachineProfile.LmbSize)));
        node.AddProperty(DtProperty.FromUInt32("ibm,memory-flags-mask", 0xFF));
        node.AddProperty(DtProperty.FromUInt32("ibm,memory-preservation-time", 0));
        DynamicMemoryLmb[] lmbs = LmbTable(machine);
        if ((machine.Negotiated & Ov5.DrmemV2) != 0)
        {
            node.AddProperty(new DtProperty(DynamicMemoryV2.PropertyName, DynamicMemoryV2.Write(V2Sets(lmbs))));
        }
        else
        {
            node.AddProperty(new DtProperty(DynamicMemoryV1.PropertyName, DynamicMemoryV1.Write(lmbs)));
        }

        node.AddProperty(new DtProperty(AssociativityLookupArrays.PropertyName, new AssociativityLookupArrays(1, [[0]]).Write()));
        return node;
    }

    /// <summary>One entry per LMB from address 0 to the end of device memory, as QEMU's v1 property.</summary>
    private static DynamicMemoryLmb[] LmbTable(MachineState machine)
    {
        MachineProfile profile = machine.Profile;
        ulong end = profile.DeviceMemoryBase + profile.DeviceMemorySize;
        var lmbs = new DynamicMemoryLmb[end / MachineProfile.LmbSize];
        for (uint i = 0; i < lmbs.Length; i++)
        {
            ulong address = i * MachineProfile.LmbSize;
            if (machine.FindDrc(DrcNumbering.Lmb(i)) is not { } drc)
            {
                lmbs[i] = new DynamicMemoryLmb(address, 0, 0, 0xFFFFFFFF, LmbFlags.Reserved | LmbFlags.DrcInvalid);
                continue;
            }

            MemoryDevice? dimm = machine.DeviceOf<MemoryDevice>(drc);
            bool assigned = dimm is not null && drc.State == drc.ReadyState;
            lmbs[i] = new DynamicMemoryLmb(address, drc.Index, 0, dimm is null ? 0xFFFFFFFF : (uint)dimm.Node, assigned ? LmbFlags.Assigned : LmbFlags.None);
        }

        return lmbs;
    }

    /// <summary>QEMU's v2 sets: the LMBs without connectors, then per DIMM a free run before it and the DIMM (flags 0x108).</summary>
    private static DynamicMemorySet[] V2Sets(DynamicMemoryLmb[] lmbs)
    {
        DynamicMemoryLmb[] marked = [.. lmbs.Select(l => l.IsAssigned ? l with { Flags = l.Flags | LmbFlags.HotRemovable } : l)];
        return DynamicMemoryV2.Compress(marked, MachineProfile.LmbSize);
    }

    private static IEnumerable<EmulatedDrc> Present(MachineState machine, DrcKind kind) =>
        machine.ConnectorsInOrder.Where(d => d.Kind == kind && d.HasDevice && d.State == d.ReadyState);

    private static DrcConnector[] Describe(MachineState machine, Func<EmulatedDrc, bool> select) =>
        [.. machine.ConnectorsInOrder.Where(select).Select(d => new DrcConnector(d.Index, d.Name, d.Type, d.PowerDomain))];
}
