using DlparAgent.Conformance.Tests.Platforms;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Conformance.Tests.Scenarios;

/// <summary>
/// The scenarios, on the reference machine (QEMU's <c>-smp 1,maxcpus=8 -m 2G,slots=8,maxmem=8G</c>):
/// boot core 0x10000000, cores 1-7 empty, LMB connectors 0x80000008-0x8000001f, PHB 0 with PCI
/// connectors 0x40000000 | devfn, PHB connectors 0x20000000-0x2000001e. Expected values are the
/// spec's (papr-platform.md §7, qemu-reference.md §4).
/// </summary>
public static class ScenarioCatalog
{
    private const uint BootCore = 0x1000_0000;
    private const uint Core1 = 0x1000_0001;
    private const uint Core2 = 0x1000_0002;
    private const uint Core3 = 0x1000_0003;
    private const uint Lmb8 = 0x8000_0008;
    private const uint Lmb9 = 0x8000_0009;
    private const uint Pci2 = 0x4000_0010;
    private const uint Pci2Fn1 = 0x4000_0011;
    private const uint Phb1 = 0x2000_0001;

    private static readonly ReferenceMode[] AllModes = [ReferenceMode.Legacy, ReferenceMode.Modern, ReferenceMode.ModernDrmemV1,
        ReferenceMode.ModernNoHotplugEvents];

    public static IReadOnlyList<Scenario> All { get; } =
    [
        // §7.1 RTAS argument validation
        new("C01", "sensor of an unknown connector", r => r.Expect(r.Sense(0xDEADBEEF) == new RtasResult(new(-3), 0), "-3, 0")),
        new("C02", "a sensor other than dr-entity-sense", r => r.Expect(r.Sense(0, sensor: 9).Status.Value == -3, "-3")),
        new("C03", "get-sensor-state with 3 arguments", r => r.Expect(ScenarioRun.Status(r.Raw(RtasServices.GetSensorState, [9003, BootCore, 0], 2)) == -3,
            "-3")),
        new("C04", "an unknown indicator", r => r.Expect(r.Set(9, 0, 1) == -3, "-3")),
        new("C05", "set-indicator with wrong counts", r =>
        {
            r.Expect(ScenarioRun.Status(r.Raw(RtasServices.SetIndicator, [9001, BootCore], 1)) == -3, "-3 for 2 arguments");
            r.Expect(ScenarioRun.Status(r.Raw(RtasServices.SetIndicator, [9001, BootCore, 1], 2)) == -3, "-3 for 2 results");
        }),
        new("C06", "isolation of an unknown connector", r => r.Expect(r.Set(ScenarioRun.Isolation, 0xDEADBEEF, 1) == -3, "-3")),
        new("C07", "an isolation value out of range", r =>
        {
            r.Expect(r.Set(ScenarioRun.Isolation, BootCore, 2) == -3, "-3");
            r.Expect(r.Sense(BootCore).Value == 1, "boot core still present");
        }),
        new("C08", "allocation state on a physical connector", r => r.Expect(r.Set(ScenarioRun.Allocation, 0x4000_0008, 1) == -3, "-3")),
        new("C09", "dr-indicator on a logical connector", r => r.Expect(r.Set(ScenarioRun.DrIndicator, Core1, 1) == -3, "-3")),
        new("C10", "dr-indicator values on a PCI connector", r =>
        {
            for (uint value = 0; value <= 3; value++)
            {
                r.Expect(r.Set(ScenarioRun.DrIndicator, 0x4000_0000, value) == 0, $"0 for value {value}");
            }

            r.Expect(r.Set(ScenarioRun.DrIndicator, 0x4000_0000, 4) == -3, "-3 for value 4");
        }),
        new("C11", "allocation exchange and recover", r =>
        {
            r.Expect(r.Set(ScenarioRun.Allocation, Core3, 2) == -3, "-3 for exchange");
            r.Expect(r.Set(ScenarioRun.Allocation, Core3, 3) == -3, "-3 for recover");
        }),
        new("C12", "configure-connector with one argument, and on an unknown connector", r =>
        {
            r.Expect(ScenarioRun.Status(r.Raw(RtasServices.ConfigureConnector, [0x100_1000], 1)) == -3, "-3 for one argument");
            r.Expect(r.ConfigureOnce(0xDEADBEEF) == -3, "-3 for an unknown index");
        }),
        new("C13", "an unknown service", r => r.Expect(r.Raw("ibm,no-such-service", [0], 1) is null, "no such service")),
        new("C14", "power levels", r =>
        {
            r.Expect(ScenarioRun.Status(r.Raw(RtasServices.GetPowerLevel, [0xFFFFFFFF], 2)) == 0, "get-power-level(-1) 0");
            r.Expect(r.Raw(RtasServices.SetPowerLevel, [0xFFFFFFFF, 0], 2) is [0, 100], "set-power-level(-1, 0) 0, 100");
            r.Expect(ScenarioRun.Status(r.Raw(RtasServices.GetPowerLevel, [5], 2)) == -3, "get-power-level(5) -3");
        }),

        // §7.2 logical connectors (CPU)
        new("L01", "boot core present", r => r.Expect(r.Sense(BootCore) == new RtasResult(RtasStatus.Success, 1), "0, 1")),
        new("L02", "configure-connector on the boot core", r =>
        {
            List<int> statuses = r.Walk(BootCore);
            r.Expect(statuses[0] == 2 && statuses[^1] == 0, "2 first, 0 last");
            r.Expect(ScenarioRun.FirstNode(r.Transcript) == "PowerPC,POWER9@0", "node PowerPC,POWER9@0");
            r.Expect(r.Sense(BootCore).Value == 1, "still present");
        }),
        new("L03", "an empty core", r =>
        {
            r.Expect(r.Sense(Core3).Value == 2, "unusable");
            r.Expect(r.Set(ScenarioRun.Allocation, Core3, 1) == -3, "allocation -3");
            r.Expect(r.Set(ScenarioRun.Isolation, Core3, 1) == -3, "unisolate -3");
            r.Expect(r.Set(ScenarioRun.Isolation, Core3, 0) == 0, "isolate 0");
            r.Expect(r.ConfigureOnce(Core3) == -9003, "configure-connector -9003");
        }),
        new("L04", "hotplug a core: the event and the sensor", r =>
        {
            r.PlugCore("c2", 2);
            r.Expect(r.NextHotplug() == "cpu add index 0x10000002", "cpu add index 0x10000002");
            r.Expect(r.Sense(Core2).Value == 2, "unusable until allocated");
        }, ReferenceMode.Legacy, ReferenceMode.Modern, ReferenceMode.ModernNoHotplugEvents),
        new("L05", "unisolate before allocation", r =>
        {
            r.PlugCore("c2", 2);
            r.Expect(r.Set(ScenarioRun.Isolation, Core2, 1) == -3, "-3");
        }),
        new("L06", "allocate twice", r =>
        {
            r.PlugCore("c2", 2);
            r.Expect(r.Set(ScenarioRun.Allocation, Core2, 1) == 0, "0");
            r.Expect(r.Set(ScenarioRun.Allocation, Core2, 1) == 0, "0 again");
            r.Expect(r.Sense(Core2).Value == 1, "present");
        }),
        new("L07", "configure-connector while isolated", r =>
        {
            r.PlugCore("c2", 2);
            r.Set(ScenarioRun.Allocation, Core2, 1);
            r.Expect(r.ConfigureOnce(Core2) == -9003, "-9003");
        }),
        new("L08", "the full add sequence", r =>
        {
            r.PlugCore("c2", 2);
            List<int> statuses = r.AcquireLogical(Core2);
            r.Expect(statuses[0] == 2 && statuses[^1] == 0 && !statuses.Contains(1), "2 … 0, never 1");
            r.Expect(ScenarioRun.FirstNode(r.Transcript) == "PowerPC,POWER9@2", "node PowerPC,POWER9@2");
        }),
        new("L09", "isolate after unisolate, before configure-connector", r =>
        {
            r.PlugCore("c2", 2);
            r.Set(ScenarioRun.Allocation, Core2, 1);
            r.Set(ScenarioRun.Isolation, Core2, 1);
            r.Expect(r.Set(ScenarioRun.Isolation, Core2, 0) == -3, "-3");
        }),
        new("L10", "unusable while unisolated", r =>
        {
            r.PlugCore("c2", 2);
            r.Set(ScenarioRun.Allocation, Core2, 1);
            r.Set(ScenarioRun.Isolation, Core2, 1);
            r.Expect(r.Set(ScenarioRun.Allocation, Core2, 0) == -3, "-3 before configure-connector");
            r.Walk(Core2);
            r.Expect(r.Set(ScenarioRun.Allocation, Core2, 0) == -3, "-3 after");
        }),
        new("L11", "unplug a configured core", r =>
        {
            r.PlugCore("c2", 2);
            r.NextHotplug();
            r.AcquireLogical(Core2);
            r.Unplug("c2");
            r.Expect(r.NextHotplug() == "cpu remove index 0x10000002", "cpu remove index 0x10000002");
            r.Expect(r.Set(ScenarioRun.Isolation, Core2, 0) == 0, "isolate 0");
            r.Expect(r.Sense(Core2).Value == 1, "still present");
            r.Expect(r.Set(ScenarioRun.Allocation, Core2, 0) == 0, "unusable 0");
            r.Expect(r.Deleted("c2"), "DEVICE_DELETED c2");
            r.Expect(r.Sense(Core2).Value == 2, "unusable");
            r.Expect(r.Set(ScenarioRun.Allocation, Core2, 1) == -3, "allocation -3 once released");
        }, ReferenceMode.Legacy, ReferenceMode.Modern),
        new("L12", "the guest refuses a core unplug", r =>
        {
            r.PlugCore("c2", 2);
            r.AcquireLogical(Core2);
            r.Unplug("c2");
            r.Expect(r.Set(ScenarioRun.Isolation, Core2, 1) == 0, "unisolate 0 (refusal)");
            r.Expect(r.GuestRefused("c2"), "DEVICE_UNPLUG_GUEST_ERROR c2");
            r.Set(ScenarioRun.Isolation, Core2, 0);
            r.Set(ScenarioRun.Allocation, Core2, 0);
            r.Expect(!r.Deleted("c2", expectDeleted: false), "the core stays");
            r.Expect(r.Set(ScenarioRun.Allocation, Core2, 1) == 0, "allocation 0 (device still attached)");
        }),
        new("L13", "unplug a core the guest never took", r =>
        {
            r.PlugCore("c2", 2);
            r.Unplug("c2");
            r.Expect(r.Deleted("c2"), "released at once");
            r.Expect(r.NextHotplug() == "cpu add index 0x10000002", "the add event first");
            r.Expect(r.NextHotplug() == "cpu remove index 0x10000002", "then the remove event");
            r.Expect(r.Sense(Core2).Value == 2, "unusable");
            r.Expect(r.Set(ScenarioRun.Allocation, Core2, 1) == -3, "allocation -3");
        }),
        new("L14", "unplug a core three times", r =>
        {
            r.PlugCore("c2", 2);
            r.NextHotplug();
            r.AcquireLogical(Core2);
            for (int i = 0; i < 3; i++)
            {
                r.Expect(r.Unplug("c2"), "no error");
            }

            for (int i = 0; i < 3; i++)
            {
                r.Expect(r.NextHotplug() == "cpu remove index 0x10000002", $"remove event {i + 1}");
            }

            r.Expect(r.NextHotplug() == "none", "no more");
        }),
        new("L15", "unplug the boot core", r =>
        {
            r.Expect(!r.Manage("unplug the boot core", () => r.Platform.Unplug(r.Platform.CoreDevice(0) ?? "core-0")), "refused");
            r.Expect(r.NextHotplug() == "none", "no event");
        }),
        new("L16", "a core again after its removal", r =>
        {
            r.PlugCore("c2", 2);
            r.AcquireLogical(Core2);
            r.Unplug("c2");
            r.ReleaseLogical(Core2);
            r.Deleted("c2");
            r.PlugCore("c2b", 2);
            r.Expect(r.AcquireLogical(Core2)[^1] == 0, "a fresh walk to 0");
        }),

        // §7.3 memory
        new("M01", "plug a DIMM: the event", r =>
        {
            r.PlugMemory("d1", 512);
            string expected = r.Mode == ReferenceMode.Legacy || r.Mode == ReferenceMode.ModernNoHotplugEvents
                ? "memory add count 2"
                : "memory add count 2 from index 0x80000008";
            r.Expect(r.NextHotplug() == expected, expected);
            r.Expect(r.Sense(Lmb8).Value == 2, "LMB unusable until allocated");
        }, AllModes),
        new("M02", "a DIMM that is not a multiple of 256 MiB", r => r.Expect(!r.PlugMemory("d1", 384), "refused")),
        new("M03", "the LMB add sequence", r =>
        {
            r.PlugMemory("d1", 512);
            foreach (uint lmb in new[] { Lmb8, Lmb9 })
            {
                List<int> statuses = r.AcquireLogical(lmb);
                r.Expect(statuses.SequenceEqual([2, 3, 3, 3, 0]), "2, 3, 3, 3, 0");
                r.Expect(r.Sense(lmb).Value == 1, "present");
            }
        }, ReferenceMode.Legacy, ReferenceMode.Modern),
        new("M04", "isolate an LMB nobody asked to remove", r =>
        {
            r.PlugMemory("d1", 256);
            r.AcquireLogical(Lmb8);
            r.Expect(r.Set(ScenarioRun.Isolation, Lmb8, 0) == -1, "-1");
        }),
        new("M05", "unplug a DIMM: the event, then the release", r =>
        {
            r.PlugMemory("d1", 512);
            r.NextHotplug();
            r.AcquireLogical(Lmb8);
            r.AcquireLogical(Lmb9);
            r.Unplug("d1");
            r.Expect(r.NextHotplug() == "memory remove count 2 from index 0x80000008", "memory remove count 2 from index 0x80000008");
            r.ReleaseLogical(Lmb8);
            r.Expect(!r.Deleted("d1", expectDeleted: false), "the DIMM stays until its last LMB");
            r.Expect(r.Sense(Lmb8).Value == 2, "first LMB unusable");
            r.ReleaseLogical(Lmb9);
            r.Expect(r.Deleted("d1"), "DEVICE_DELETED after the last LMB");
        }, ReferenceMode.Legacy, ReferenceMode.Modern, ReferenceMode.ModernDrmemV1),
        new("M08", "the guest refuses a DIMM unplug", r =>
        {
            r.PlugMemory("d1", 512);
            r.AcquireLogical(Lmb8);
            r.AcquireLogical(Lmb9);
            r.Unplug("d1");

            // Refusal from the configured state: the whole DIMM's unplug is rolled back and reported.
            r.Expect(r.Set(ScenarioRun.Isolation, Lmb8, 1) == 0, "unisolate 0 (refusal)");
            r.Expect(r.GuestRefused("d1"), "DEVICE_UNPLUG_GUEST_ERROR d1");
            r.Expect(r.Set(ScenarioRun.Isolation, Lmb9, 0) == -1, "isolate -1: the unplug was rolled back");
            r.Expect(!r.Deleted("d1", expectDeleted: false), "the DIMM stays");
        }),
        new("M08b", "a refusal after an LMB was isolated", r =>
        {
            r.PlugMemory("d1", 512);
            r.AcquireLogical(Lmb8);
            r.AcquireLogical(Lmb9);
            r.Unplug("d1");
            r.Set(ScenarioRun.Isolation, Lmb8, 0);
            r.Expect(r.Set(ScenarioRun.Isolation, Lmb8, 1) == 0, "unisolate 0");

            // Not papr-platform.md's M08: from the isolated state QEMU 7.2 reports no guest error and the
            // other LMB's request stands (isolate 0); the emulated platform does the same.
            r.Expect(!r.GuestRefused("d1", expected: false), "no DEVICE_UNPLUG_GUEST_ERROR");
            r.Expect(r.Set(ScenarioRun.Isolation, Lmb9, 0) == 0, "isolate 0 on the other LMB");
            r.Expect(!r.Deleted("d1", expectDeleted: false), "the DIMM stays");
        }),
        new("M10", "unplug a DIMM twice", r =>
        {
            r.PlugMemory("d1", 512);
            r.AcquireLogical(Lmb8);
            r.AcquireLogical(Lmb9);
            r.Unplug("d1");
            r.Unplug("d1");
            r.NextHotplug();
            r.NextHotplug();
            r.NextHotplug();
        }),
        new("M12", "DIMM unplug after CAS without HP_EVT", r =>
        {
            r.PlugMemory("d1", 512);
            r.NextHotplug();
            r.AcquireLogical(Lmb8);
            r.AcquireLogical(Lmb9);
            r.Expect(!r.Unplug("d1"), "refused: not supported for this guest");
            r.Expect(r.NextHotplug() == "none", "no event");
        }, ReferenceMode.ModernNoHotplugEvents),
        new("M13", "a DIMM is placed after one whose unplug the guest has half done", r =>
        {
            r.PlugMemory("d1", 512);
            r.NextHotplug();
            r.AcquireLogical(Lmb8);
            r.AcquireLogical(Lmb9);
            r.Unplug("d1");
            r.NextHotplug();
            r.ReleaseLogical(Lmb9);
            r.PlugMemory("d2", 256);

            // d1 keeps its whole range until its last LMB goes: d2 lands after it, not in LMB 9.
            r.Expect(r.NoteDimms().SequenceEqual(["d1@0x80000000", "d2@0xa0000000"]), "d1@0x80000000 d2@0xa0000000");
            r.Expect(r.Set(ScenarioRun.Allocation, Lmb9, 1) == -3, "usable -3 on the released LMB 9");
            r.Expect(r.Set(ScenarioRun.Allocation, 0x8000_000A, 1) == 0, "usable 0 on d2's LMB 0x8000000a");
            r.ReleaseLogical(Lmb8);
            r.Expect(r.Deleted("d1"), "DEVICE_DELETED d1 after its last LMB");
            r.PlugMemory("d3", 512);
            r.Expect(r.NoteDimms().SequenceEqual(["d3@0x80000000", "d2@0xa0000000"]), "d3 in the range d1 left");
        }, ReferenceMode.Legacy, ReferenceMode.Modern),

        // §7.4 PCI and PHB
        new("P01", "an empty PCI connector", r =>
        {
            r.Expect(r.Sense(Pci2).Value == 0, "empty");
            r.Expect(r.Set(ScenarioRun.Isolation, Pci2, 1) == -3, "unisolate -3");
            r.Expect(r.Set(ScenarioRun.Isolation, Pci2, 0) == 0, "isolate 0");
            r.Expect(r.ConfigureOnce(Pci2) == -9003, "-9003");
        }),
        new("P02", "hotplug a PCI function", r =>
        {
            r.PlugPci("n1", 0, 2);
            r.Expect(r.NextHotplug() == "pci add index 0x40000010", "pci add index 0x40000010");
            r.Expect(r.Sense(Pci2).Value == 1, "present at once");
        }, ReferenceMode.Legacy, ReferenceMode.Modern, ReferenceMode.ModernNoHotplugEvents),
        new("P03", "configure a PCI function", r =>
        {
            r.PlugPci("n1", 0, 2);
            r.Expect(r.Set(ScenarioRun.Isolation, Pci2, 1) == 0, "unisolate 0");
            List<int> statuses = r.Walk(Pci2);
            r.Expect(statuses[^1] == 0, "walk ends with 0");
            r.Expect(ScenarioRun.FirstNode(r.Transcript) == "ethernet@2", "node ethernet@2");
            r.Expect(r.Set(ScenarioRun.DrIndicator, Pci2, 1) == 0, "dr-indicator active 0");
        }, ReferenceMode.Legacy, ReferenceMode.Modern),
        new("P04", "isolate a function unisolated but not configured", r =>
        {
            r.PlugPci("n1", 0, 2);
            r.Set(ScenarioRun.Isolation, Pci2, 1);
            r.Expect(r.Set(ScenarioRun.Isolation, Pci2, 0) == -3, "-3");
        }),
        new("P05", "unplug a configured PCI function", r =>
        {
            r.PlugPci("n1", 0, 2);
            r.NextHotplug();
            r.Set(ScenarioRun.Isolation, Pci2, 1);
            r.Walk(Pci2);
            r.Unplug("n1");
            r.Expect(r.NextHotplug() == "pci remove index 0x40000010", "pci remove index 0x40000010");
            r.Set(ScenarioRun.DrIndicator, Pci2, 0);
            r.Expect(r.Set(ScenarioRun.Isolation, Pci2, 0) == 0, "isolate 0");
            r.Expect(r.Deleted("n1"), "DEVICE_DELETED n1");
            r.Expect(r.Sense(Pci2).Value == 0, "empty");
        }, ReferenceMode.Legacy, ReferenceMode.Modern),
        new("P06", "unplug a PCI function never unisolated", r =>
        {
            r.PlugPci("n1", 0, 2);
            r.NextHotplug();
            r.Unplug("n1");
            r.Expect(r.Deleted("n1"), "released at once");
            r.Expect(r.NextHotplug() == "none", "no remove event");
        }),
        new("P07", "a multifunction device, function 1 first", r =>
        {
            r.PlugPci("f1", 0, 2, function: 1);
            r.Expect(r.NextHotplug() == "none", "no event for function 1 alone");
            r.PlugPci("f0", 0, 2, function: 0, multifunction: true);
            r.Expect(r.NextHotplug() == "pci add index 0x40000010", "function 0");
            r.Expect(r.NextHotplug() == "pci add index 0x40000011", "then function 1");
        }),
        new("P08", "unplug function 0 before function 1", r =>
        {
            r.PlugPci("f1", 0, 2, function: 1);
            r.PlugPci("f0", 0, 2, function: 0, multifunction: true);
            r.NextHotplug();
            r.NextHotplug();
            r.Unplug("f0");
            r.NextHotplug();
            r.NextHotplug();
            r.NextHotplug();
            r.Deleted("f0", expectDeleted: false);
            r.Deleted("f1", expectDeleted: false);
        }),
        new("P09", "unplug function 1, then function 0", r =>
        {
            r.PlugPci("f1", 0, 2, function: 1);
            r.PlugPci("f0", 0, 2, function: 0, multifunction: true);
            r.NextHotplug();
            r.NextHotplug();
            foreach (uint index in new[] { Pci2, Pci2Fn1 })
            {
                r.Set(ScenarioRun.Isolation, index, 1);
                r.Walk(index);
            }

            r.Unplug("f1");
            r.Expect(r.NextHotplug() == "none", "no event for function 1");
            r.Unplug("f0");
            r.Expect(r.NextHotplug() == "pci remove index 0x40000011", "function 1 first");
            r.Expect(r.NextHotplug() == "pci remove index 0x40000010", "then function 0");
        }),
        new("P10", "hotplug a PHB", r =>
        {
            r.PlugPhb("phb1", 1);
            r.Expect(r.NextHotplug() == "phb add index 0x20000001", "phb add index 0x20000001");
            List<int> statuses = r.AcquireLogical(Phb1);
            r.Expect(statuses[^1] == 0 && !statuses.Contains(1), "a walk to 0 without 1");
            r.Expect(ScenarioRun.FirstNode(r.Transcript) == "pci@800000020000001", "node pci@800000020000001");
        }, ReferenceMode.Legacy, ReferenceMode.Modern),
        new("P11", "unplug a PHB twice", r =>
        {
            r.PlugPhb("phb1", 1);
            r.NextHotplug();
            r.AcquireLogical(Phb1);
            r.Expect(r.Unplug("phb1"), "first accepted");
            r.Expect(!r.Unplug("phb1"), "second refused");
            r.Expect(r.NextHotplug() == "phb remove index 0x20000001", "one remove event");
        }),
        new("P12", "a PHB removal completes", r =>
        {
            r.PlugPhb("phb1", 1);
            r.AcquireLogical(Phb1);
            r.Expect(r.Sense(0x4001_0000).Value == 0, "its PCI connectors exist");
            r.Unplug("phb1");
            r.ReleaseLogical(Phb1);
            r.Expect(r.Deleted("phb1"), "DEVICE_DELETED phb1");
            r.Expect(r.Sense(0x4001_0000).Status.Value == -3, "its PCI connectors are gone");
        }),

        // §7.5 configure-connector mechanics
        new("K03", "configure-connector again after completion", r =>
        {
            List<int> first = r.Walk(BootCore);
            List<int> second = r.Walk(BootCore);
            r.Expect(first.SequenceEqual(second), "the same sequence");
        }),
        new("K04", "the cursor is per connector", r =>
        {
            r.PlugCore("c2", 2);
            r.AcquireLogical(Core2);
            r.ConfigureOnce(BootCore);
            r.ConfigureOnce(Core2);
            r.Expect(r.ConfigureOnce(BootCore) == 3, "the boot core continues with a property");
        }),
        new("K08", "reset in the middle of a walk", r =>
        {
            r.ConfigureOnce(BootCore);
            r.ConfigureOnce(BootCore);
            r.Reset();
            r.Expect(r.ConfigureOnce(BootCore) == 2, "the walk starts from the top");
        }),

        // §7.6 events
        new("E02", "check-exception with nothing queued", r => r.Expect(r.Check(0xFFFFFFFF).Status == 1, "1, buffer untouched")),
        new("E03", "EPOW and hotplug classes", r =>
        {
            r.PlugCore("c2", 2);
            r.Check(ScenarioRun.HotplugMask);
            r.Check(ScenarioRun.EpowMask);
            r.Check(ScenarioRun.EpowMask);
        }, ReferenceMode.Legacy, ReferenceMode.Modern, ReferenceMode.ModernNoHotplugEvents),
        new("E04", "two events in order", r =>
        {
            r.PlugCore("c2", 2);
            r.PlugCore("c3", 3);
            r.Expect(r.Check(r.EventMask).Status == 0, "first 0");
            r.Expect(r.Check(r.EventMask).Status == 0, "second 0");
            r.Expect(r.Check(r.EventMask).Status == 1, "third 1");
        }),
        new("E05", "event-scan never returns a log", r =>
        {
            r.PlugCore("c2", 2);
            r.Expect(r.Scan(0xFFFFFFFF) == 1, "1");
            r.Expect(r.NextHotplug() == "cpu add index 0x10000002", "the event is still queued");
        }),
        new("E06", "event calls with wrong argument counts", r =>
        {
            r.Expect(ScenarioRun.Status(r.Raw(RtasServices.CheckException, [0x500, 0, 0xFFFFFFFF, 0, 0x100_3000], 1)) == -3, "5 arguments -3");
            r.Expect(ScenarioRun.Status(r.Raw(RtasServices.CheckException, [0x500, 0, 0xFFFFFFFF, 0, 0x100_3000, 2048, 0, 0], 1)) == -3, "8 arguments -3");
            r.Expect(ScenarioRun.Status(r.Raw(RtasServices.EventScan, [0xFFFFFFFF, 0, 0x100_3000], 1)) == -3, "event-scan 3 arguments -3");
        }),
        new("E07", "100 unplug requests for one core, all queued in order", r =>
        {
            r.PlugCore("c2", 2);
            r.NextHotplug();
            r.AcquireLogical(Core2);
            for (int i = 0; i < 100; i++)
            {
                r.Unplug("c2");
            }

            int removes = 0;
            while (r.NextHotplug() == "cpu remove index 0x10000002")
            {
                removes++;
            }

            r.Expect(removes == 100, "100 remove events");
        }),
        new("E08", "reset with queued events and a pending core unplug", r =>
        {
            r.PlugCore("c2", 2);
            r.AcquireLogical(Core2);
            r.Unplug("c2");
            r.Reset();
            r.Expect(r.Check(0xFFFFFFFF).Status == 1, "queue empty");
            r.Expect(r.Deleted("c2"), "the core released");
        }),
        new("E11", "check-exception with a short buffer", r =>
        {
            r.PlugCore("c2", 2);
            // QEMU writes its whole log whatever the length (qemu-reference.md §7.5); the emulated platform stays inside the buffer (DV2).
            int written = r.CheckWritten(r.EventMask, 64);
            r.Expect(written == (r.Platform is QemuReference ? 116 : 64), "116 bytes from QEMU, 64 from the emulated platform");
        }),
    ];
}
