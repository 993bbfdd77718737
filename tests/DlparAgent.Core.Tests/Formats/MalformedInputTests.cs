using System.Text;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Formats.Drc;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Formats.Memory;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Memory;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Tests.Support;

namespace DlparAgent.Core.Tests.Formats;

/// <summary>
/// Every reader, fed 100,000 seeded mutations and truncations of real inputs, either reads them or
/// refuses them with <see cref="DlparFormatException"/>: nothing else is thrown and nothing hangs.
/// </summary>
public class MalformedInputTests
{
    private static readonly DateTime Stamp = new(2026, 11, 24, 1, 43, 36);

    [Fact]
    public void Fdt_reader_and_everything_read_from_a_tree()
    {
        byte[][] seeds = [Fixtures.Bytes(Fixtures.CasDtb), Fixtures.Bytes(Fixtures.CasDrmemV1Dtb), Fixtures.Bytes(Fixtures.NoCasDtb)];

        Fuzz.Run(1, seeds, input =>
        {
            FlattenedDeviceTree tree = FdtReader.Read(input);
            DrcCatalog.FromTree(tree.Root);
            DynamicReconfigurationMemory.FromTree(tree.Root);
            FdtWriter.Write(tree);
        });
    }

    [Fact]
    public void Drc_arrays()
    {
        (byte[] indexes, byte[] names, byte[] types, byte[] domains) = DrcArrays.Write(
            [.. Enumerable.Range(0, 32).Select(i => new DrcConnector(0x40000000u + (uint)i, $"C{i}", "28", 0xFFFFFFFF))]);

        Fuzz.Run(2, [indexes, names, types, domains], input =>
        {
            DrcArrays.Read(input, names, types, domains);
            DrcArrays.Read(indexes, input, types, domains);
            DrcArrays.Read(indexes, names, input, domains);
            DrcArrays.Read(indexes, names, types, input);
        });
    }

    [Fact]
    public void Drc_info()
    {
        byte[] seed = DrcInfo.Write(
        [
            new DrcInfoEntry("CPU", "CPU ", 0x10000000, 0, 8, 8, 0xFFFFFFFF),
            new DrcInfoEntry("SLOT", "U8233.E8B.1000C9P-V1-C", 0x30000002, 2, 4, 1, 0xFFFFFFFF),
        ]);

        Fuzz.Run(3, [seed], input =>
        {
            foreach (DrcInfoEntry entry in DrcInfo.Read(input))
            {
                _ = entry.Expand().Take(64).Count();
            }
        });
    }

    [Fact]
    public void Dynamic_memory_v1_v2_lmb_size_and_lookup_arrays()
    {
        DynamicMemoryLmb[] lmbs = [.. Enumerable.Range(0, 32).Select(i => new DynamicMemoryLmb((ulong)i << 28, 0x80000000u + (uint)i, 0, 0,
            LmbFlags.Assigned))];
        byte[] v1 = DynamicMemoryV1.Write(lmbs);
        byte[] v2 = DynamicMemoryV2.Write(DynamicMemoryV2.Compress(lmbs, 1UL << 28));
        byte[] size = LmbSize.Write(1UL << 28);
        byte[] lookup = new AssociativityLookupArrays(4, [[0, 0, 0, 0], [0, 0, 1, 1]]).Write();

        Fuzz.Run(4, [v1, v2, size, lookup], input =>
        {
            RefusedOrRead(() => DynamicMemoryV1.Read(input));
            RefusedOrRead(() =>
            {
                // Expansion of a valid table is plain arithmetic; large (valid) tables would only cost time here.
                DynamicMemorySet[] sets = DynamicMemoryV2.Read(input);
                return sets.Sum(s => (long)s.SequentialLmbs) <= 65536 ? DynamicMemoryV2.Expand(sets, 1UL << 28) : sets;
            });
            RefusedOrRead(() => LmbSize.Read(input));
            AssociativityLookupArrays.Read(input);
        });
    }

    [Fact]
    public void Rtas_event_logs()
    {
        byte[][] seeds =
        [
            Fixtures.Hex(Fixtures.MemoryAddEvent),
            Fixtures.Hex(Fixtures.MemoryRemoveEvent),
            RtasEventBuilder.Epow(new RtasEventStamp(Stamp, 3)).ToArray(),
            RtasEventBuilder.Hotplug(HotplugResource.Slot, HotplugAction.Add, HotplugIdentifier.ByName("U8233.E8B.1000C9P-V1-C3"), new RtasEventStamp(Stamp,
                4), HotplugSection.TokenPresentBit, 7).ToArray(),
        ];

        Fuzz.Run(5, seeds, input =>
        {
            RtasEventLog log = RtasEventLog.Read(input);
            Assert.Equal(input.AsSpan(0, log.TotalLength).ToArray(), log.ToArray());
            foreach (RtasSection section in log.Sections)
            {
                _ = section switch
                {
                    HotplugSection hp => hp.Identifier.ToString(),
                    MainASection ph => ph.CreationTime?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    EpowSection ep => EpowSection.DescribeAction(ep.ActionCode),
                    _ => section.Id,
                };
            }
        });
    }

    [Fact]
    public void Rtasd_record_streams()
    {
        RtasEventLog add = RtasEventLog.Read(Fixtures.Hex(Fixtures.MemoryAddEvent));
        byte[] packed = [.. RtasdRecordCodec.WriteRecord(new RtasdRecord(1, add), 0, true), .. RtasdRecordCodec.WriteRecord(new RtasdRecord(2, add), 0, true)];
        byte[] slots = [.. RtasdRecordCodec.WriteRecord(new RtasdRecord(1, add), 256, true), .. RtasdRecordCodec.WriteRecord(new RtasdRecord(2, add), 256,
            true)];

        Fuzz.Run(6, [packed, slots], input =>
        {
            RefusedOrRead(() => RtasdRecordCodec.ReadAll(input, 0, true));
            RtasdRecordCodec.ReadAll(input, 256, false);
        });
    }

    [Fact]
    public void Request_grammars()
    {
        byte[][] seeds = [.. new[]
        {
            "memory add count 4", "memory remove indexed-count 4 0x80000010", "cpu add index 0x10000008",
            "slot remove name \"U8233.E8B.1000C9P-V1-C3\"", "phb add name \"PHB 1\"", "dt add index 0x40000018\n",
        }.Select(Encoding.Latin1.GetBytes)];

        Fuzz.Run(7, seeds, input =>
        {
            string text = Encoding.Latin1.GetString(input);
            KernelRequestCheck kernel = KernelDlparGrammar.Check(text);
            Assert.Equal(kernel.Accepted, kernel.Request is not null);
            ParsedRequest parsed = RequestGrammar.Parse(text);
            Assert.Equal(parsed.Request, RequestGrammar.Parse(parsed.Normalized).Request);
        });
    }

    [Fact]
    public void Ofdt_commands()
    {
        byte[][] seeds =
        [
            OfdtCodec.Encode(new OfdtCommand.AddNode("/cpus/PowerPC,POWER9@8", [new OfdtProperty("reg", new byte[] { 0, 0, 0, 8 }),
                new OfdtProperty("device_type", "cpu\0"u8.ToArray())])),
            OfdtCodec.Encode(new OfdtCommand.UpdateProperty(0x1111, new OfdtProperty("ibm,dynamic-memory", new byte[28]))),
            OfdtCodec.Encode(new OfdtCommand.RemoveProperty(0x1111, "ibm,foo")),
            OfdtCodec.Encode(new OfdtCommand.RemoveNode("/pci@800000020000001")),
        ];

        Fuzz.Run(8, seeds, input =>
        {
            OfdtCommand command = OfdtCodec.Decode(input);
            Assert.Equal(command, OfdtCodec.Decode(OfdtCodec.Encode(command)));
        });
    }

    [Fact]
    public void Configure_connector_work_areas()
    {
        byte[] node = new byte[ConfigureConnectorWorkArea.Size];
        ConfigureConnectorWorkArea.WriteNode(node, "pci@800000020000001");
        byte[] property = new byte[ConfigureConnectorWorkArea.Size];
        ConfigureConnectorWorkArea.WriteProperty(property, "ibm,my-drc-index", [0x20, 0, 0, 1], clipLikeQemu: false);

        Fuzz.Run(9, [node, property], input =>
        {
            RefusedOrRead(() => ConfigureConnectorWorkArea.ReadStep(input, ConfigureConnectorStatus.NextChild));
            ConfigureConnectorWorkArea.ReadStep(input, ConfigureConnectorStatus.NextProperty);
        });
    }

    [Fact]
    public void Hex_text()
    {
        byte[][] seeds = [File.ReadAllBytes(Fixtures.PathOf(Fixtures.MemoryAddEvent)), "06 34 60 e5\n# comment\n0x00 0000006c"u8.ToArray()];

        Fuzz.Run(10, seeds, input => HexText.Parse(Encoding.Latin1.GetString(input)));
    }

    [Fact]
    public void Device_tree_property_accessors()
    {
        Fuzz.Run(11, [DtProperty.FromCells("c", [1, 2, 3, 4]).Value.ToArray(), DtProperty.FromStrings("s", ["a", "bc"]).Value.ToArray()], input =>
        {
            var property = new DtProperty("p", input);
            RefusedOrRead(() => property.AsStrings());
            RefusedOrRead(() => property.AsString());
            RefusedOrRead(() => property.AsUInt64());
            RefusedOrRead(() => property.AsUInt32());
            property.AsCells();
        });
    }

    private static void RefusedOrRead(Func<object?> read)
    {
        try
        {
            read();
        }
        catch (DlparFormatException)
        {
        }
    }
}
