using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;

namespace DlparAgent.Emulation.DeviceTree;

/// <summary>A logical PHB node as QEMU builds it, with the DRC description of its root-bus connectors.</summary>
internal static class PhbNode
{
    public static DtNode Build(int index, ulong buid, uint drcIndex, IReadOnlyList<DrcConnector> connectors, bool drcInfo, bool withName)
    {
        var node = new DtNode($"pci@{buid:x}");
        node.AddProperty(DtProperty.FromString("device_type", "pci"));
        node.AddProperty(DtProperty.FromString("compatible", "IBM,Logical_PHB"));
        node.AddProperty(DtProperty.FromUInt32("#interrupt-cells", 1));
        node.AddProperty(DtProperty.Empty("used-by-rtas"));
        node.AddProperty(DtProperty.FromCells("bus-range", [0x00, 0xFF]));
        node.AddProperty(DtProperty.FromCells("ranges", Ranges(index)));
        node.AddProperty(DtProperty.FromCells("reg", [(uint)(buid >> 32), (uint)buid, 0, 0]));
        node.AddProperty(DtProperty.FromUInt32("ibm,pci-config-space-type", 1));
        node.AddProperty(DtProperty.FromUInt32("ibm,pe-total-#msi", 0xD00));
        // The tokens of ibm,query-pe-dma-window, ibm,create-pe-dma-window and ibm,remove-pe-dma-window.
        node.AddProperty(DtProperty.FromCells("ibm,ddw-applicable", [0x2026, 0x2027, 0x2028]));
        node.AddProperty(DtProperty.FromCells("ibm,ddw-extensions", [0x02, 0x2029, 0x01]));
        node.AddProperty(DtProperty.FromCells("interrupt-map-mask", [0xF800, 0, 0, 0xFFFFFFFF]));
        node.AddProperty(DtProperty.FromCells("interrupt-map", InterruptMap(index)));
        node.AddProperty(DtProperty.FromUInt32("ibm,#dma-address-cells", 2));
        node.AddProperty(DtProperty.FromUInt32("ibm,#dma-size-cells", 2));
        node.AddProperty(DtProperty.FromCells("ibm,dma-window", [0x80000000 + ((uint)index * 0x100), 0, 0, 0, 0x40000000]));
        node.AddProperty(DtProperty.FromUInt32("ibm,my-drc-index", drcIndex));
        node.AddProperty(DtProperty.FromUInt32("qemu,phb-enumerated", 1));
        node.AddProperty(DtProperty.FromUInt32("#address-cells", 3));
        node.AddProperty(DtProperty.FromUInt32("#size-cells", 2));
        DrcProperties.Add(node, connectors, drcInfo);
        if (withName)
        {
            node.AddProperty(DtProperty.FromString("name", "pci"));
        }

        return node;
    }

    /// <summary>QEMU's windows: I/O at 0x2000_0000_0000 + 64 KiB * phb, 2 GiB of 32-bit MMIO, 1 TiB of 64-bit MMIO.</summary>
    private static uint[] Ranges(int index)
    {
        ulong mmio32 = 0x2000_8000_0000UL + ((ulong)index * 0x8000_0000UL);
        uint mmio64 = 0x2100 + ((uint)index * 0x100);
        return
        [
            0x1000000, 0, 0, 0x2000, (uint)index << 16, 0, 0x10000,
            0x2000000, 0, 0x80000000, (uint)(mmio32 >> 32), (uint)mmio32, 0, 0x80000000,
            0x3000000, mmio64, 0, mmio64, 0, 0x100, 0,
        ];
    }

    /// <summary>QEMU's swizzled legacy interrupt map: slot s, pin p → LSI 0x1200 + 4*phb + (s + p - 1) % 4.</summary>
    private static uint[] InterruptMap(int index)
    {
        var cells = new List<uint>(32 * 4 * 7);
        for (uint slot = 0; slot < 32; slot++)
        {
            for (uint pin = 1; pin <= 4; pin++)
            {
                cells.AddRange([slot << 11, 0, 0, pin, 0x1111, 0x1200 + (4 * (uint)index) + ((slot + pin - 1) % 4), 1]);
            }
        }

        return [.. cells];
    }
}
