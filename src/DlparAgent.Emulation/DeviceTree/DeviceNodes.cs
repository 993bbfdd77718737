using System.Globalization;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.DeviceTree;

/// <summary>
/// The device-tree node of each device, as configure-connector returns it and as the boot tree
/// carries it (QEMU adds a <c>name</c> property to CPU and PHB fragments only).
/// </summary>
internal static class DeviceNodes
{
    public static DtNode Lmb(MachineState machine, EmulatedDrc drc, MemoryDevice? dimm)
    {
        uint id = drc.Index - DrcNumbering.LmbBase;
        ulong address = (ulong)id * MachineProfile.LmbSize;
        if (machine.Profile.QemuLmbAddressBug)
        {
            // QEMU computes the address from the whole index, setting bit 59 (papr-platform.md 4.6).
            address = (ulong)drc.Index * MachineProfile.LmbSize;
        }

        var node = new DtNode($"memory@{address:x}");
        node.AddProperty(DtProperty.FromString("device_type", "memory"));
        node.AddProperty(DtProperty.FromCells("reg", [(uint)(address >> 32), (uint)address, 0, (uint)MachineProfile.LmbSize]));
        node.AddProperty(DtProperty.FromCells("ibm,associativity", Associativity(machine, dimm?.Node ?? 0)));
        return node;
    }

    /// <summary>FORM2 associativity after a modern CAS (<c>&lt;1 node&gt;</c>), FORM1 otherwise (<c>&lt;4 0 0 0 node&gt;</c>).</summary>
    public static uint[] Associativity(MachineState machine, int node) =>
        machine.Negotiated != Ov5.None ? [1, (uint)node] : [4, 0, 0, 0, (uint)node];

    public static DtNode Pci(PciDevice device, uint drcIndex)
    {
        string unit = device.Function == 0
            ? device.Slot.ToString("x", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{device.Slot:x},{device.Function:x}");
        var node = new DtNode($"{device.Model.NodeName}@{unit}");
        node.AddProperty(DtProperty.FromUInt32("vendor-id", device.Model.VendorId));
        node.AddProperty(DtProperty.FromUInt32("device-id", device.Model.DeviceId));
        node.AddProperty(DtProperty.FromUInt32("revision-id", device.Model.Revision));
        node.AddProperty(DtProperty.FromUInt32("class-code", device.Model.ClassCode));
        node.AddProperty(DtProperty.FromUInt32("interrupts", 1));
        node.AddProperty(DtProperty.FromUInt32("subsystem-id", device.Model.SubsystemId));
        node.AddProperty(DtProperty.FromUInt32("subsystem-vendor-id", device.Model.SubsystemVendorId));
        // Set by the device's realize; cold-plugged devices have been through a reset, which clears it.
        node.AddProperty(DtProperty.FromUInt32("cache-line-size", device.Origin == DeviceOrigin.Hotplug ? device.Model.RealizeCacheLineSize : 0u));
        node.AddProperty(DtProperty.FromUInt32("devsel-speed", 0));
        node.AddProperty(DtProperty.FromString("ibm,loc-code",
            string.Create(CultureInfo.InvariantCulture, $"qemu_{device.Model.Name}:{device.Phb:x4}:00:{device.Slot:x2}.{device.Function:x}")));
        node.AddProperty(DtProperty.FromUInt32("ibm,my-drc-index", drcIndex));
        if (device.Model.MsixVectors > 0)
        {
            node.AddProperty(DtProperty.FromUInt32("ibm,req#msi-x", (uint)device.Model.MsixVectors));
        }

        node.AddProperty(DtProperty.FromCells("reg", Reg(device)));
        node.AddProperty(DtProperty.FromUInt32("min-grant", 0));
        node.AddProperty(DtProperty.FromUInt32("max-latency", 0));
        return node;
    }

    /// <summary>The config-space entry, then one entry per BAR: phys.hi (space, devfn, register), phys.mid/lo 0, size.</summary>
    private static uint[] Reg(PciDevice device)
    {
        uint devfn = (uint)device.DevFn << 8;
        var cells = new List<uint>(5 * (1 + device.Model.Bars.Count)) { devfn, 0, 0, 0, 0 };
        foreach (PciBar bar in device.Model.Bars)
        {
            cells.AddRange([((uint)bar.Space << 24) | devfn | bar.Register, 0, 0, (uint)(bar.Size >> 32), (uint)bar.Size]);
        }

        return [.. cells];
    }

    public static DtNode Pmem(MachineState machine, PmemDevice device, uint drcIndex)
    {
        var node = new DtNode($"ibm,pmemory@{drcIndex:x}");
        node.AddProperty(DtProperty.FromUInt32("reg", drcIndex));
        node.AddProperty(DtProperty.FromString("compatible", "ibm,pmemory"));
        node.AddProperty(DtProperty.FromString("device_type", "ibm,pmemory"));
        node.AddProperty(DtProperty.FromCells("ibm,associativity", Associativity(machine, 0)));
        node.AddProperty(DtProperty.FromString("ibm,unit-guid", string.Create(CultureInfo.InvariantCulture, $"00000000-0000-0000-0000-{device.Slot:x12}")));
        node.AddProperty(DtProperty.FromUInt32("ibm,my-drc-index", drcIndex));
        node.AddProperty(DtProperty.FromUInt64("ibm,block-size", MachineProfile.LmbSize));
        node.AddProperty(DtProperty.FromUInt64("ibm,number-of-blocks", device.Size / MachineProfile.LmbSize));
        node.AddProperty(DtProperty.FromUInt64("ibm,metadata-size", 0));
        node.AddProperty(DtProperty.FromString("ibm,pmem-application", "operating-system"));
        node.AddProperty(DtProperty.Empty("ibm,cache-flush-required"));
        return node;
    }

    public static DtNode Vio(VioDevice device, EmulatedDrc drc)
    {
        (string deviceType, string compatible) = device.Model switch
        {
            "l-lan" => ("network", "IBM,l-lan"),
            "v-scsi" => ("vscsi", "IBM,v-scsi"),
            _ => ("fcp", "IBM,vfc-client"),
        };
        var node = new DtNode($"{device.Model}@{drc.Index:x}");
        node.AddProperty(DtProperty.FromString("device_type", deviceType));
        node.AddProperty(DtProperty.FromString("compatible", compatible));
        node.AddProperty(DtProperty.FromUInt32("reg", drc.Index));
        node.AddProperty(DtProperty.FromString("ibm,loc-code", drc.Name));
        node.AddProperty(DtProperty.FromUInt32("ibm,my-drc-index", drc.Index));
        node.AddProperty(DtProperty.FromCells("interrupts", [0x1100 + (uint)device.Slot, 0]));
        return node;
    }
}
