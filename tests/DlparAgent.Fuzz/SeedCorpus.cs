using System.Buffers.Binary;
using System.Text;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Fuzz;

/// <summary>
/// The seed corpus, made from the real fixtures (QEMU's device trees and hotplug events, under
/// <c>tests/DlparAgent.Core.Tests/Fixtures</c>) and from what the agent itself writes. Run from the
/// repository root: <c>dlpar-fuzz seed tests/DlparAgent.Fuzz/corpus</c>; the result is committed.
/// </summary>
public static class SeedCorpus
{
    private const string Fixtures = "tests/DlparAgent.Core.Tests/Fixtures";

    public static void Write(string directory)
    {
        string[] trees = [.. Directory.EnumerateFiles(Path.Combine(Fixtures, "qemu"), "*.dtb").Order()];
        string[] events = [.. Directory.EnumerateFiles(Path.Combine(Fixtures, "events"), "*.hex").Order()];
        foreach (string tree in trees)
        {
            Seed(directory, "fdt", Path.GetFileName(tree), File.ReadAllBytes(tree));
        }

        foreach (string hex in events)
        {
            byte[] text = File.ReadAllBytes(hex);
            byte[] log = HexText.Parse(Encoding.Latin1.GetString(text));
            string name = Path.GetFileNameWithoutExtension(hex);
            Seed(directory, "event", name + ".hex", text);
            Seed(directory, "event", name + ".bin", log);
            RtasdRecord record = new(7, RtasEventLog.Read(log));
            Seed(directory, "rtasd", name + ".slot", RtasdRecordCodec.WriteRecord(record, 1024, littleEndianSequence: false));
            Seed(directory, "rtasd", name + ".packed", RtasdRecordCodec.WriteRecord(record, 0, littleEndianSequence: true));
            Seed(directory, "event", name + ".rtasd", RtasdRecordCodec.WriteRecord(record, 1024, littleEndianSequence: false));
        }

        foreach (string tree in trees)
        {
            DtNode root = FdtReader.Read(File.ReadAllBytes(tree)).Root;
            string name = Path.GetFileNameWithoutExtension(tree);
            if (root.Find("/ibm,dynamic-reconfiguration-memory") is { } drconf)
            {
                Property(directory, "dynamic-memory", name + ".v1", 0, drconf, "ibm,dynamic-memory");
                Property(directory, "dynamic-memory", name + ".v2", 1, drconf, "ibm,dynamic-memory-v2");
                Property(directory, "dynamic-memory", name + ".lmb-size", 2, drconf, "ibm,lmb-size");
                Property(directory, "dynamic-memory", name + ".lookup", 3, drconf, "ibm,associativity-lookup-arrays");
            }

            if (root.Find("/cpus") is { } cpus)
            {
                if (cpus.GetProperty("ibm,drc-info") is { } info)
                {
                    Seed(directory, "drc", name + ".drc-info", info.Value.ToArray());
                }

                if (Arrays(cpus) is { } arrays)
                {
                    Seed(directory, "drc", name + ".arrays", arrays);
                }
            }
        }

        Seed(directory, "ofdt", "add-node", OfdtCodec.Encode(new OfdtCommand.AddNode("/cpus/PowerPC,POWER9@8",
            [new OfdtProperty("ibm,my-drc-index", new byte[] { 0x10, 0, 0, 2 }), new OfdtProperty("device_type", "cpu\0"u8.ToArray())])));
        Seed(directory, "ofdt", "remove-node", OfdtCodec.Encode(new OfdtCommand.RemoveNode("/cpus/PowerPC,POWER9@8")));
        Seed(directory, "ofdt", "update-property", OfdtCodec.Encode(new OfdtCommand.UpdateProperty(0x1234,
            new OfdtProperty("ibm,dynamic-memory-v2",
                new byte[] { 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0x80, 0, 0, 0, 0x80, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 8 }))));
        Seed(directory, "ofdt", "remove-property", OfdtCodec.Encode(new OfdtCommand.RemoveProperty(0x1234, "ibm,my-drc-index")));

        byte[] node = new byte[4 + ConfigureConnectorWorkArea.Size];
        BinaryPrimitives.WriteInt32BigEndian(node, 1);
        ConfigureConnectorWorkArea.WriteNode(node.AsSpan(4), "PowerPC,POWER9@8");
        Seed(directory, "configure-connector", "next-sibling-node", node);
        byte[] property = new byte[4 + ConfigureConnectorWorkArea.Size];
        BinaryPrimitives.WriteInt32BigEndian(property, 3);
        ConfigureConnectorWorkArea.WriteProperty(property.AsSpan(4), "ibm,my-drc-index", new byte[] { 0x10, 0, 0, 2 }, clipLikeQemu: false);
        Seed(directory, "configure-connector", "property", property);

        string[] requests = ["memory add count 4", "memory remove indexed-count 2 0x80000008", "cpu remove index 0x10000002",
            "pci add index 0x40000018", "phb remove drc-name \"PHB 1\"", "memory add ic 2 0x80000010"];
        for (int i = 0; i < requests.Length; i++)
        {
            Seed(directory, "request", $"request-{i}", Encoding.UTF8.GetBytes(requests[i]));
        }

        string[][] drmgr = [["-c", "mem", "-a", "-q", "4", "-w", "5", "-d", "1"], ["-c", "cpu", "-r", "-s", "CPU 8"], ["-C"],
            ["-c", "pci", "-a", "-s", "U8233.E8B.1000C9P-V1-C2", "-n"], ["-c", "phb", "-Q", "-s", "PHB 7"], ["-m", "-c", "pmig", "-p", "check", "-s", "0x10"]];
        string[][] lsslot = [["-c", "mem"], ["-c", "pci", "-o"], ["-c", "cpu", "-b"], ["-F", ":", "-s", "C16"], ["-c", "phb", "-d", "4"]];
        for (int i = 0; i < drmgr.Length; i++)
        {
            Seed(directory, "drmgr-args", $"args-{i}", Encoding.UTF8.GetBytes(string.Join('\0', drmgr[i])));
        }

        for (int i = 0; i < lsslot.Length; i++)
        {
            Seed(directory, "lsslot-args", $"args-{i}", Encoding.UTF8.GetBytes(string.Join('\0', lsslot[i])));
        }

        var small = new MachineProfile { BootCpus = 1, MaxCpus = 2, Memory = MachineProfile.GiB, MaxMemory = 2 * MachineProfile.GiB, BootPhbs = 1 };
        byte[] state = MachineStateCodec.Encode(EmulatedPlatform.Create(small).State);
        Seed(directory, "machine-state", "small.state", state);
        Seed(directory, "machine-state", "small.payload", state[20..^32]);
    }

    private static void Property(string directory, string target, string name, byte selector, DtNode node, string property)
    {
        if (node.GetProperty(property) is { } found)
        {
            Seed(directory, target, name, [selector, .. found.Value]);
        }
    }

    /// <summary>The four arrays as the drc target reads them: three length bytes (in cells), then the arrays.</summary>
    private static byte[]? Arrays(DtNode node)
    {
        string[] names = ["ibm,drc-indexes", "ibm,drc-names", "ibm,drc-types", "ibm,drc-power-domains"];
        if (names.Select(node.GetProperty).ToArray() is not [{ } a, { } b, { } c, { } d])
        {
            return null;
        }

        int[] cells = [.. new[] { a, b, c }.Select(p => (p.Value.Length + 3) / 4)];
        return cells.Any(n => n > 255) ? null : [(byte)cells[0], (byte)cells[1], (byte)cells[2],
            .. Padded(a), .. Padded(b), .. Padded(c), .. d.Value];
    }

    private static byte[] Padded(DtProperty property)
    {
        byte[] value = new byte[(property.Value.Length + 3) / 4 * 4];
        property.Value.CopyTo(value);
        return value;
    }

    private static void Seed(string directory, string target, string name, byte[] bytes)
    {
        string folder = Path.Combine(directory, target);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
    }
}
