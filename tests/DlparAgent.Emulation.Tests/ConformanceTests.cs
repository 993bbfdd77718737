using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

/// <summary>
/// The conformance cases of papr-platform.md §7, as scripts against fixture F (4 GiB of 8 GiB,
/// 2 of 4 SMT1 cores, PHB 0, modern CAS with dynamic-memory v2). See <see cref="Scenario"/>.
/// </summary>
public class ConformanceTests
{
    private const string AcquireCpu2 = "set-indicator 9003 0x10000002 1 => 0";
    private const string UnisolateCpu2 = "set-indicator 9001 0x10000002 1 => 0";

    public static TheoryData<string, string[]> Cases => new()
    {
        // 7.1 RTAS argument validation (argument counts: RawDispatchTests)
        { "C01", ["get-sensor-state 9003 0xDEADBEEF => -3 0"] },
        { "C02", ["get-sensor-state 9 0 => -3 0"] },
        { "C04", ["set-indicator 9 0 1 => -3"] },
        { "C06", ["set-indicator 9001 0xDEADBEEF 1 => -3"] },
        { "C07", ["set-indicator 9001 0x10000000 2 => -3", "state 0x10000000 => 4"] },
        { "C08", ["set-indicator 9003 0x40000008 1 => -3"] },
        { "C09", ["set-indicator 9002 0x10000001 1 => -3"] },
        { "C10", ["set-indicator 9002 0x40000000 0 => 0", "set-indicator 9002 0x40000000 1 => 0", "set-indicator 9002 0x40000000 2 => 0",
            "set-indicator 9002 0x40000000 3 => 0", "set-indicator 9002 0x40000000 4 => -3"] },
        { "C11", ["set-indicator 9003 0x10000003 2 => -3", "set-indicator 9003 0x10000003 3 => -3"] },
        { "C12", ["ibm,configure-connector 0xDEADBEEF => -3"] },
        { "C14", ["get-power-level -1 => 0 100", "set-power-level -1 0 => 0 100", "get-power-level 5 => -3 0"] },

        // 7.2 logical connector state machine (CPU)
        { "L01", ["get-sensor-state 9003 0x10000000 => 0 1", "state 0x10000000 => 4"] },
        { "L02", ["ibm,configure-connector 0x10000000 => 2 PowerPC,POWER9@0",
            "ibm,configure-connector 0x10000000 => 3 name 506f77657250432c504f57455239403000", "cc-loop 0x10000000 => 3* 0", "cc-nodes 0x10000000 => " +
                "PowerPC,POWER9@0", "state 0x10000000 => 4"] },
        { "L03", ["get-sensor-state 9003 0x10000003 => 0 2", "set-indicator 9003 0x10000003 1 => -3", "set-indicator 9001 0x10000003 1 => -3",
            "set-indicator 9001 0x10000003 0 => 0", "ibm,configure-connector 0x10000003 => -9003"] },
        { "L04", ["plug cpu 2 => core2", "queue => 1", "event 0 => cpu add index 0x10000002", "pulses 0x1001 => 1", "get-sensor-state 9003 0x10000002 => 0 2",
            "state 0x10000002 => 1"] },
        { "L05", ["plug cpu 2", "set-indicator 9001 0x10000002 1 => -3", "state 0x10000002 => 1"] },
        { "L06", ["plug cpu 2", AcquireCpu2, AcquireCpu2, "state 0x10000002 => 2", "get-sensor-state 9003 0x10000002 => 0 1"] },
        { "L07", ["plug cpu 2", AcquireCpu2, "ibm,configure-connector 0x10000002 => -9003"] },
        { "L08", ["plug cpu 2", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0", "cc-nodes 0x10000002 => PowerPC,POWER9@2",
            "state 0x10000002 => 4"] },
        { "L09", ["plug cpu 2", AcquireCpu2, UnisolateCpu2, "set-indicator 9001 0x10000002 0 => -3", "state 0x10000002 => 3"] },
        { "L10", ["plug cpu 2", AcquireCpu2, UnisolateCpu2, "set-indicator 9003 0x10000002 0 => -3", "cc-loop 0x10000002 => 2 3* 0",
            "set-indicator 9003 0x10000002 0 => -3"] },
        {
            "L11", ["plug cpu 2", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0", "unplug core2", "queue => 2",
                "event 1 => cpu remove index 0x10000002",
                "set-indicator 9001 0x10000002 0 => 0", "state 0x10000002 => 2", "get-sensor-state 9003 0x10000002 => 0 1",
                "set-indicator 9003 0x10000002 0 => 0", "device core2 => absent", "notified DEVICE_DELETED core2 => yes", "get-sensor-state 9003 0x10000002 " +
                    "=> 0 2", "set-indicator 9003 0x10000002 1 => -3"]
        },
        {
            "L12", ["plug cpu 2", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0", "unplug core2", UnisolateCpu2,
                "unplug-requested 0x10000002 => no",
                "notified DEVICE_UNPLUG_GUEST_ERROR core2 => yes", "set-indicator 9001 0x10000002 0 => 0", "set-indicator 9003 0x10000002 0 => 0",
                "state 0x10000002 => 1", "device core2 => present", AcquireCpu2]
        },
        { "L13", ["plug cpu 2", "unplug core2", "device core2 => absent", "queue => 2", "event 1 => cpu remove index 0x10000002",
            "get-sensor-state 9003 0x10000002 => 0 2", "set-indicator 9003 0x10000002 1 => -3"] },
        { "L14", ["plug cpu 2", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0", "unplug core2", "unplug core2", "unplug core2", "queue => 4",
            "event 3 => cpu remove index 0x10000002"] },
        { "L15", ["unplug core0 => refused: Boot CPU core may not be unplugged", "queue => 0"] },
        {
            "L16", ["plug cpu 2", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0", "unplug core2", "set-indicator 9001 0x10000002 0 => 0",
                "set-indicator 9003 0x10000002 0 => 0",
                "plug cpu 2 => core2", "event 2 => cpu add index 0x10000002", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0"]
        },

        // 7.3 memory
        {
            "M01", ["plug memory 1G => mem0", "queue => 1", "event 0 => memory add count-indexed 4 0x80000010",
                "state 0x80000010 => 1", "state 0x80000013 => 1", "get-sensor-state 9003 0x80000013 => 0 2", "get-sensor-state 9003 0x80000014 => 0 " +
                    "2", "set-indicator 9003 0x80000014 1 => -3"]
        },
        { "M02", ["plug memory 384M => refused: Hotplugged memory size must be a multiple of 256 MB", "queue => 0"] },
        { "M03", ["plug memory 1G", .. Acquire(0x80000010), "cc-nodes 0x80000010 => memory@100000000", "state 0x80000010 => 4"] },
        { "M04", ["plug memory 1G", .. Acquire(0x80000010), "set-indicator 9001 0x80000010 0 => -1", "state 0x80000010 => 4"] },
        { "M05", ["plug memory 1G", .. AcquireAll(), "unplug mem0", "queue => 2", "event 1 => memory remove count-indexed 4 0x80000010",
            "unplug-requested 0x80000010 => yes", "unplug-requested 0x80000013 => yes"] },
        {
            "M06", ["plug memory 1G", .. AcquireAll(), "unplug mem0", .. Release(0x80000010), .. Release(0x80000011), .. Release(0x80000012),
                "get-sensor-state 9003 0x80000011 => 0 2", "set-indicator 9003 0x80000011 1 => -3", "device mem0 => present"]
        },
        { "M07", ["plug memory 1G", .. AcquireAll(), "unplug mem0", .. Release(0x80000010), .. Release(0x80000011), .. Release(0x80000012),
            .. Release(0x80000013), "device mem0 => absent", "notified DEVICE_DELETED mem0 => yes"] },
        {
            "M08", ["plug memory 1G", .. AcquireAll(), "unplug mem0", "set-indicator 9001 0x80000011 1 => 0", "unplug-requested 0x80000013 => no",
                "notified MEM_UNPLUG_ERROR mem0 => yes", "set-indicator 9001 0x80000010 0 => -1", "set-indicator 9001 0x80000013 0 => -1"]
        },
        { "M09", ["plug memory 1G", .. AcquireAll(), "unplug mem0", "cc-loop 0x80000012 => 2 3* 0", "unplug-requested 0x80000010 => no",
            "set-indicator 9001 0x80000012 0 => -1"] },
        { "M10", ["plug memory 1G", .. AcquireAll(), "unplug mem0", "unplug mem0 => refused: Memory unplug already in progress for device mem0",
            "queue => 2"] },
        { "M12", ["cas nohp", "plug memory 1G", "unplug mem0 => refused: Memory hot unplug not supported for this guest", "queue => 1"] },

        // 7.4 physical connectors (PCI) and PHBs
        { "P01", ["get-sensor-state 9003 0x40000010 => 0 0", "set-indicator 9001 0x40000010 1 => -3", "set-indicator 9001 0x40000010 0 => 0",
            "ibm,configure-connector 0x40000010 => -9003"] },
        { "P02", ["plug pci 0 2 => pci0", "event 0 => pci add index 0x40000010", "get-sensor-state 9003 0x40000010 => 0 1", "state 0x40000010 => 6"] },
        { "P03", ["plug pci 0 2", "set-indicator 9001 0x40000010 1 => 0", "state 0x40000010 => 7", "cc-nodes 0x40000010 => ethernet@2",
            "state 0x40000010 => 8"] },
        { "P04", ["plug pci 0 2", "set-indicator 9001 0x40000010 1 => 0", "set-indicator 9001 0x40000010 0 => -3"] },
        {
            "P05", ["plug pci 0 2", "set-indicator 9001 0x40000010 1 => 0", "cc-loop 0x40000010 => 2 3* 0", "unplug pci0",
                "event 1 => pci remove index 0x40000010",
                "set-indicator 9001 0x40000010 0 => 0", "state 0x40000010 => 6", "device pci0 => absent", "get-sensor-state 9003 0x40000010 => 0 0"]
        },
        { "P06", ["plug pci 0 2", "unplug pci0", "device pci0 => absent", "queue => 1"] },
        { "P07", ["plug pci 0 2 1 => pci0", "queue => 0", "plug pci 0 2 0 => pci1", "queue => 2", "event 0 => pci add index 0x40000010",
            "event 1 => pci add index 0x40000011"] },
        { "P07b", ["plug pci 0 2 0",
            "plug pci 0 2 1 => refused: PCI: slot 2 function 0 already occupied by pci0, additional functions can no longer be exposed to guest."] },
        // QEMU 7.2 (seen through the conformance suite): unplugging function 0 takes every function with it.
        { "P08", ["plug pci 0 2 1", "plug pci 0 2 0", "unplug pci1", "device pci0 => absent", "device pci1 => absent", "queue => 2"] },
        {
            "P09", ["plug pci 0 2 1", "plug pci 0 2 0", "set-indicator 9001 0x40000010 1 => 0", "cc-loop 0x40000010 => 2 3* 0",
                "set-indicator 9001 0x40000011 1 => 0", "cc-loop 0x40000011 => 2 3* 0",
                "unplug pci0", "queue => 2", "unplug pci1", "queue => 4", "event 2 => pci remove index 0x40000011", "event 3 => pci remove index 0x40000010"]
        },
        {
            "P10", ["plug phb 1 => phb1", "event 0 => phb add index 0x20000001", "set-indicator 9003 0x20000001 1 => 0", "set-indicator 9001 0x20000001 1 => 0",
                "ibm,configure-connector 0x20000001 => 2 pci@800000020000001", "cc-loop 0x20000001 => 3* 0", "get-sensor-state 9003 0x40010000 => 0 0"]
        },
        { "P11", ["plug phb 1", "set-indicator 9003 0x20000001 1 => 0", "set-indicator 9001 0x20000001 1 => 0", "cc-loop 0x20000001 => 2 3* 0", "unplug phb1",
            "unplug phb1 => refused: PCI Host Bridge unplug already in progress for device phb1", "queue => 2"] },
        {
            "P12", ["plug phb 1", "set-indicator 9003 0x20000001 1 => 0", "set-indicator 9001 0x20000001 1 => 0", "cc-loop 0x20000001 => 2 3* 0", "unplug phb1",
                "set-indicator 9001 0x20000001 0 => 0", "set-indicator 9003 0x20000001 0 => 0", "device phb1 => absent", "get-sensor-state 9003 0x40010000 " +
                    "=> -3 0", "state 0x400100ff => none"]
        },

        // 7.5 configure-connector mechanics
        { "K01", ["ibm,configure-connector 0x10000001 => 2 PowerPC,POWER9@1"] },
        { "K02", ["plug memory 1G", "set-indicator 9003 0x80000010 1 => 0", "set-indicator 9001 0x80000010 1 => 0",
            "ibm,configure-connector 0x80000010 => 2 memory@100000000", "ibm,configure-connector 0x80000010 => 3 ibm,associativity " +
                "0000000100000000", "ibm,configure-connector 0x80000010 => 3 reg 00000001000000000000000010000000"] },
        { "K03", ["cc-loop 0x10000000 => 2 3* 0", "cc-loop 0x10000000 => 2 3* 0", "state 0x10000000 => 4"] },
        { "K04", ["ibm,configure-connector 0x10000000 => 2 PowerPC,POWER9@0", "ibm,configure-connector 0x10000001 => 2 PowerPC,POWER9@1",
            "ibm,configure-connector 0x10000000 => 3 name 506f77657250432c504f57455239403000"] },
        {
            "K05", ["plug phb 1", "plug pci 1 1", "plug pci 1 2", "set-indicator 9003 0x20000001 1 => 0", "set-indicator 9001 0x20000001 1 => 0",
                "cc-loop 0x20000001 => 2 3* 2 3* 4 2 3* 4 0", "cc-nodes 0x20000001 => pci@800000020000001 ethernet@1 ethernet@2"]
        },
        { "K07", ["plug cpu 2", AcquireCpu2, "ibm,configure-connector 0x10000002 => -9003", "plug pci 0 2", "ibm,configure-connector 0x40000010 => -9003"] },
        { "K08", ["plug cpu 2", AcquireCpu2, UnisolateCpu2, "ibm,configure-connector 0x10000002 => 2 PowerPC,POWER9@2",
            "ibm,configure-connector 0x10000002 => 3 name 506f77657250432c504f57455239403200", "reset", "state 0x10000002 => 4", "cc-loop 0x10000002 => 2 " +
                "3* 0"] },

        // 7.6 events (byte layouts: EventTests; argument counts: RawDispatchTests)
        { "E02", ["check-exception 0xffffffff => 1", "event-scan 0xffffffff => 1"] },
        { "E04", ["plug cpu 2", "plug cpu 3", "pulses 0x1001 => 2", "queue => 2"] },
        { "E08", ["powerdown", "plug cpu 2", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0", "unplug core2", "reset", "queue => 0",
            "device core2 => absent"] },
        { "E09", ["powerdown", "plug cpu 2", "queue => 2", "cas v2", "queue => 1", "event 0 => epow"] },
        { "E10", ["plug memory 1G", "plug memory 2G => mem1", "event 1 => memory add count-indexed 8 0x80000014"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_f_behaves_as_qemu(string id, string[] script)
    {
        Scenario scenario = Scenario.FixtureF();
        scenario.Label = id;
        scenario.Run(script);
    }

    [Fact]
    public void M13_before_cas_plugs_and_unplugs_resolve_at_cas()
    {
        Scenario s = Scenario.FixtureF(p => p with { Negotiation = NegotiationMode.Legacy });
        s.Run("plug memory 512M => mem0", "reset", "state 0x80000010 => 4",
            "plug memory 1G => mem1", "event 0 => memory add count 4", "unplug mem0", "event 1 => memory remove count-indexed 2 0x80000010",
            "cas v2", "state 0x80000012 => 4", "state 0x80000015 => 4", "device mem0 => absent", "queue => 0");
        var memory = Core.Memory.DynamicReconfigurationMemory.FromTree(s.Platform.ReadBootTree().Root)!;
        Assert.Equal([0x80000012u, 0x80000013, 0x80000014, 0x80000015], memory.Lmbs.Where(l => l.IsAssigned).Select(l => l.DrcIndex));
    }

    [Fact]
    public void L12_refusal_leaves_the_device_attached_after_release()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug cpu 2", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0", "unplug core2", UnisolateCpu2,
            "set-indicator 9001 0x10000002 0 => 0", "set-indicator 9003 0x10000002 0 => 0", AcquireCpu2, "state 0x10000002 => 2");
    }

    [Fact]
    public void K07_strict_mode_completes_configure_connector_on_an_isolated_connector()
    {
        Scenario.FixtureF(p => p with { Strict = true }).Run("plug cpu 2", AcquireCpu2, "ibm,configure-connector 0x10000002 => 0");
    }

    [Fact]
    public void K05_strict_mode_reports_siblings_with_code_1()
    {
        Scenario.FixtureF(p => p with { Strict = true }).Run(
            "plug phb 1", "plug pci 1 1", "plug pci 1 2", "set-indicator 9003 0x20000001 1 => 0", "set-indicator 9001 0x20000001 1 => 0",
            "cc-loop 0x20000001 => 2 3* 2 3* 1 3* 4 0", "cc-nodes 0x20000001 => pci@800000020000001 ethernet@1 ethernet@2");
    }

    [Fact]
    public void Strict_mode_refuses_isolating_an_unusable_connector()
    {
        Scenario.FixtureF(p => p with { Strict = true }).Run("set-indicator 9001 0x10000003 0 => -3");
    }

    [Fact]
    public void E07_a_hundred_ignored_unplug_requests_stay_queued_in_order()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug cpu 2", AcquireCpu2, UnisolateCpu2, "cc-loop 0x10000002 => 2 3* 0");
        for (int i = 0; i < 100; i++)
        {
            s.Run("unplug core2");
        }

        s.Run("queue => 101", "event 0 => cpu add index 0x10000002", "event 100 => cpu remove index 0x10000002");
        for (int i = 0; i < 101; i++)
        {
            Assert.StartsWith("0 063460e5", s.Execute("check-exception 0x10000000"), StringComparison.Ordinal);
        }

        s.Run("check-exception 0x10000000 => 1");
    }

    [Fact]
    public void E03_an_epow_event_is_skipped_under_the_hotplug_mask_and_stays()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("powerdown", "plug cpu 2");
        Assert.EndsWith("0101020010000002" + "00000000", s.Execute("check-exception 0x10000000"), StringComparison.Ordinal);
        s.Run("queue => 1", "event 0 => epow", "pulses 0x1000 => 2");
        Assert.StartsWith("0 06340040", s.Execute("check-exception 0x40000000"), StringComparison.Ordinal);
    }

    [Fact]
    public void E04_each_check_exception_returns_one_event_and_repulses()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug cpu 2", "plug cpu 3", "pulses 0x1001 => 2");
        Assert.StartsWith("0 ", s.Execute("check-exception 0x10000000"), StringComparison.Ordinal);
        s.Run("pulses 0x1001 => 3");
        Assert.StartsWith("0 ", s.Execute("check-exception 0x10000000"), StringComparison.Ordinal);
        s.Run("check-exception 0x10000000 => 1");
    }

    [Fact]
    public void E05_event_scan_returns_nothing_and_repulses()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug cpu 2", "powerdown", "event-scan 0xffffffff => 1", "queue => 2", "pulses 0x1001 => 2", "pulses 0x1000 => 2");
    }

    [Fact]
    public void M11_without_hotplug_events_memory_comes_on_the_epow_class()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("cas nohp", "plug memory 1G", "event 0 => memory add count 4", "pulses 0x1000 => 1", "check-exception 0x10000000 => 1", "queue => 1");
        string answer = s.Execute("check-exception 0x40000000");
        Assert.StartsWith("0 063460e50000006c", answer, StringComparison.Ordinal);
        Assert.EndsWith("0201030000000004" + "00000000", answer, StringComparison.Ordinal);
        s.Run("queue => 0");
    }

    private static string[] Acquire(uint index) =>
    [
        $"set-indicator 9003 0x{index:x8} 1 => 0",
        $"set-indicator 9001 0x{index:x8} 1 => 0",
        $"cc-loop 0x{index:x8} => 2 3* 0",
    ];

    private static string[] AcquireAll() => [.. Enumerable.Range(0x10, 4).SelectMany(i => Acquire(0x80000000u + (uint)i))];

    private static string[] Release(uint index) =>
    [
        $"set-indicator 9001 0x{index:x8} 0 => 0",
        $"set-indicator 9003 0x{index:x8} 0 => 0",
    ];
}
