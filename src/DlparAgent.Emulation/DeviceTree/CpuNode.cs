using DlparAgent.Core.DeviceTree;

namespace DlparAgent.Emulation.DeviceTree;

/// <summary>A POWER9 CPU node as QEMU's pseries machine builds it (values from a real QEMU 7.2 tree).</summary>
internal static class CpuNode
{
    public const string FirmwareName = "PowerPC,POWER9";

    /// <summary>The raw POWER9 DD2.0 PVR: <c>cpu-version</c> until a guest selects a compatibility mode at CAS.</summary>
    public const uint RawPvr = 0x004E_1200;

    /// <summary>The POWER9 architected (compatibility) mode a Linux guest selects at CAS.</summary>
    public const uint Power9CompatPvr = 0x0F00_0005;

    public static DtNode Build(int vcpuId, int threads, uint drcIndex, uint cpuVersion, int hashTableShift, bool withName)
    {
        var node = new DtNode($"{FirmwareName}@{vcpuId:x}");
        node.AddProperty(DtProperty.FromUInt32("ibm,my-drc-index", drcIndex));
        node.AddProperty(DtProperty.FromUInt32("reg", (uint)vcpuId));
        node.AddProperty(DtProperty.FromString("device_type", "cpu"));
        node.AddProperty(DtProperty.FromUInt32("cpu-version", cpuVersion));
        node.AddProperty(DtProperty.FromUInt32("d-cache-block-size", 0x80));
        node.AddProperty(DtProperty.FromUInt32("d-cache-line-size", 0x80));
        node.AddProperty(DtProperty.FromUInt32("i-cache-block-size", 0x80));
        node.AddProperty(DtProperty.FromUInt32("i-cache-line-size", 0x80));
        node.AddProperty(DtProperty.FromUInt32("d-cache-size", 0x8000));
        node.AddProperty(DtProperty.FromUInt32("i-cache-size", 0x8000));
        node.AddProperty(DtProperty.FromUInt32("timebase-frequency", 0x1E848000));
        node.AddProperty(DtProperty.FromUInt32("clock-frequency", 0x3B9ACA00));
        node.AddProperty(DtProperty.FromUInt32("slb-size", 0x20));
        node.AddProperty(DtProperty.FromUInt32("ibm,slb-size", 0x20));
        node.AddProperty(DtProperty.FromString("status", "okay"));
        node.AddProperty(DtProperty.Empty("64-bit"));
        node.AddProperty(DtProperty.FromUInt32("ibm,purr", 1));
        node.AddProperty(DtProperty.FromUInt32("ibm,spurr", 1));
        node.AddProperty(DtProperty.FromCells("ibm,processor-segment-sizes", [0x1C, 0x28, 0xFFFFFFFF, 0xFFFFFFFF]));
        node.AddProperty(DtProperty.FromUInt32("ibm,vmx", 2));
        node.AddProperty(DtProperty.FromUInt32("ibm,dfp", 1));
        node.AddProperty(DtProperty.FromCells("ibm,segment-page-sizes", [0x0C, 0x00, 0x01, 0x0C, 0x00, 0x10, 0x110, 0x01, 0x10, 0x01]));
        node.AddProperty(DtProperty.FromCells("ibm,pa-features", [0x4200F63F, 0xC7C080F0, 0x80000000, 0x00, 0x8000, 0x80008000, 0x8000, 0x80008000,
            0x80008000, 0xC0008000, 0x80008000, 0x80008000, 0x80008000, 0x80008000, 0x80008000, 0x80008000, 0x80000000]));
        node.AddProperty(DtProperty.FromUInt32("ibm,chip-id", 0));
        node.AddProperty(DtProperty.FromCells("ibm,pft-size", [0x00, (uint)hashTableShift]));
        uint[] servers = [.. Enumerable.Range(vcpuId, threads).Select(t => (uint)t)];
        node.AddProperty(DtProperty.FromCells("ibm,ppc-interrupt-server#s", servers));
        node.AddProperty(DtProperty.FromCells("ibm,ppc-interrupt-gserver#s", [.. servers.SelectMany(s => new[] { s, 0u })]));
        node.AddProperty(DtProperty.FromCells("ibm,processor-radix-AP-encodings", [0x0C, 0xA0000010, 0x20000015, 0x4000001E]));
        node.AddProperty(DtProperty.FromUInt32("ibm,dec-bits", 0x38));
        if (withName)
        {
            // QEMU's fragment names the CPU with its unit address (seen on QEMU 7.2: "PowerPC,POWER9@2").
            node.AddProperty(DtProperty.FromString("name", node.Name));
        }

        return node;
    }
}
