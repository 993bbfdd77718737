using System.Globalization;

namespace DlparAgent.Conformance.Tests.Scenarios;

/// <summary>
/// A seeded random mix of management operations and guest RTAS calls. The sequence depends on the
/// seed alone (never on what a platform answered), so two platforms given the same seed are asked
/// the same things in the same order. CPU cores are never removed (a later hot-add would crash
/// QEMU 7.2, qemu-reference.md §7.1), and a slot, core or PHB index is used at most once.
/// </summary>
public static class RandomSequence
{
    private static readonly uint[] Connectors =
    [
        0x1000_0000, 0x1000_0001, 0x1000_0002, 0x1000_0003, 0x1000_0005,
        0x8000_0008, 0x8000_0009, 0x8000_000A, 0x8000_000B, 0x8000_000C, 0x8000_0010,
        0x4000_0008, 0x4000_0010, 0x4000_0018, 0x4000_0020, 0x4000_0028, 0x4000_0011,
        0x2000_0001, 0x2000_0002, 0x4001_0008, 0x4001_0010,
        0x9000_0000, 0xDEAD_BEEF,
    ];

    private static readonly uint[] Logical = [.. Connectors.Where(c => (c >> 28) is 1 or 2 or 8)];

    /// <summary>
    /// Runs the sequence. Resets only without CAS: after a reset QEMU waits for the guest to
    /// negotiate again (SLOF boots the client anew), which the emulated modern guest does at once.
    /// </summary>
    public static void Run(ScenarioRun r, int seed, int steps)
    {
        bool resets = r.Mode == Platforms.ReferenceMode.Legacy;
        var random = new Random(seed);
        var cores = new Queue<int>(Enumerable.Range(1, 7).OrderBy(_ => random.Next()));
        var pciSlots = new Queue<int>(Enumerable.Range(1, 6).OrderBy(_ => random.Next()));
        var phbs = new Queue<int>([1, 2]);
        var removable = new List<string>();
        int next = 0;
        int dimms = 0;
        for (int step = 0; step < steps; step++)
        {
            int pick = random.Next(100);
            uint connector = Connectors[random.Next(Connectors.Length)];
            uint logical = Logical[random.Next(Logical.Length)];
            switch (pick)
            {
                case < 5 when cores.Count > 0:
                    r.PlugCore(Id("core", ref next), cores.Dequeue());
                    break;
                case < 10 when dimms < 5:
                    dimms++;
                    string dimm = Id("dimm", ref next);
                    r.PlugMemory(dimm, random.Next(2) == 0 ? 256UL : 512UL);
                    r.NoteDimms();
                    removable.Add(dimm);
                    break;
                case < 15 when pciSlots.Count > 0:
                    string function = Id("pci", ref next);
                    r.PlugPci(function, 0, pciSlots.Dequeue(), model: random.Next(2) == 0 ? "e1000" : "virtio-net-pci");
                    removable.Add(function);
                    break;
                case < 17 when phbs.Count > 0:
                    string phb = Id("phb", ref next);
                    r.PlugPhb(phb, phbs.Dequeue());
                    removable.Add(phb);
                    break;
                case < 22 when removable.Count > 0:
                    string victim = removable[random.Next(removable.Count)];
                    removable.Remove(victim);
                    r.Unplug(victim);
                    r.NoteDimms();
                    break;
                case < 32:
                    r.Sense(connector);
                    break;
                case < 47:
                    uint indicator = (uint)(9001 + random.Next(3));
                    uint value = random.Next(6) == 0 ? (uint)random.Next(5) : (uint)random.Next(2);
                    r.Set(indicator, connector, value);
                    break;
                case < 55:
                    r.AcquireLogical(logical);
                    break;
                case < 62:
                    r.ReleaseLogical(logical);
                    if ((logical >> 28) == 8)
                    {
                        // A released LMB may complete an unplug: where the DIMMs are is compared after each.
                        r.NoteDimms();
                    }

                    break;
                case < 68:
                    r.Walk(connector);
                    break;
                case < 72:
                    r.ConfigureOnce(connector);
                    break;
                case < 90:
                    r.Check(random.Next(3) switch { 0 => ScenarioRun.EpowMask, 1 => ScenarioRun.HotplugMask, _ => 0xFFFF_FFFF });
                    break;
                case < 93:
                    r.Scan(0xFFFF_FFFF);
                    break;
                case < 94 when resets:
                    r.Reset();
                    r.NoteDimms();
                    break;
                default:
                    // PCI connectors take the dr-indicator; the add sequence for a physical slot.
                    r.Set(ScenarioRun.Isolation, connector, 1);
                    r.Walk(connector);
                    break;
            }
        }
    }

    private static string Id(string prefix, ref int next) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{++next}");
}
