using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Memory;

namespace DlparAgent.Benchmarks;

/// <summary>Figures of the Core formats (issue: foundation).</summary>
internal static class FormatFigures
{
    private const int LmbCount = 65536;

    public static IEnumerable<Figure> All()
    {
        byte[] drmem = DynamicMemoryV1.Write(LmbTable());
        byte[] fdt = FdtWith(drmem);
        byte[] log = RtasEventBuilder.Hotplug(HotplugResource.Memory, HotplugAction.Add, HotplugIdentifier.ByCountIndexed(4, 0x80000010),
            new RtasEventStamp(new DateTime(2026, 11, 24, 1, 43, 36), 0)).ToArray();

        yield return new Figure("drmem-v1-parse-65536", "ms", () => Measure.MedianMilliseconds(() => DynamicMemoryV1.Read(drmem)));
        yield return new Figure("fdt-parse-65536", "ms", () => Measure.MedianMilliseconds(() =>
        {
            FlattenedDeviceTree tree = FdtReader.Read(fdt);
            if (DynamicReconfigurationMemory.FromTree(tree.Root)!.Lmbs.Count != LmbCount)
            {
                throw new InvalidOperationException("the benchmark tree lost LMBs");
            }
        }));
        yield return new Figure("event-decode-rate", "logs/s", () => Measure.MedianRate(() => RtasEventLog.Read(log), batch: 200_000));
    }

    private static DynamicMemoryLmb[] LmbTable() =>
        [.. Enumerable.Range(0, LmbCount).Select(i => new DynamicMemoryLmb((ulong)i << 28, 0x80000000u + (uint)i, 0, 0,
            i < 16 ? LmbFlags.Reserved | LmbFlags.DrcInvalid : LmbFlags.Assigned))];

    /// <summary>A pseries-like tree whose drconf node holds the 65,536-LMB v1 property.</summary>
    private static byte[] FdtWith(byte[] drmem)
    {
        var root = new DtNode(string.Empty);
        root.AddProperty(DtProperty.FromString("compatible", "qemu,pseries"));
        DtNode cpus = root.AddChild("cpus");
        cpus.AddChild("PowerPC,POWER9@0").AddProperty(DtProperty.FromUInt32("ibm,my-drc-index", 0x10000000));
        DtNode drconf = root.AddChild("ibm,dynamic-reconfiguration-memory");
        drconf.AddProperty(new DtProperty(LmbSize.PropertyName, LmbSize.Write(1UL << 28)));
        drconf.AddProperty(new DtProperty(DynamicMemoryV1.PropertyName, drmem));
        drconf.AddProperty(new DtProperty(AssociativityLookupArrays.PropertyName, new AssociativityLookupArrays(1, [[0]]).Write()));
        return FdtWriter.Write(new FlattenedDeviceTree(root));
    }
}
