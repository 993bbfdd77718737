using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Management;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

/// <summary>
/// Seeded random mixes of management operations and guest RTAS calls. After every step: sense
/// agrees with state, no device disappears without an unplug or reclaim, events come out once and
/// in order, and the machine survives a save and load unchanged.
/// </summary>
public class RandomSequenceTests
{
    public static TheoryData<int, PlatformFlavor, NegotiationMode> Seeds()
    {
        var data = new TheoryData<int, PlatformFlavor, NegotiationMode>();
        for (int seed = 1; seed <= 12; seed++)
        {
            data.Add(seed, seed % 3 == 0 ? PlatformFlavor.PowerVm : PlatformFlavor.Qemu, seed % 4 == 1 ? NegotiationMode.Legacy : NegotiationMode.Modern);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Invariants_hold_through_random_sequences(int seed, PlatformFlavor flavor, NegotiationMode negotiation)
    {
        var random = new Random(seed);
        EmulatedPlatform platform = EmulatedPlatform.Create(
            new MachineProfile { Flavor = flavor, Negotiation = negotiation, BootCpus = 2, MaxCpus = 8, Memory = 2 * MachineProfile.GiB, MaxMemory =
                6 * MachineProfile.GiB }, FixedClock.Default);
        MachineState m = platform.State;
        var mayVanish = new HashSet<string>(StringComparer.Ordinal);
        var expectedEvents = new List<byte[]>(m.Events.Select(e => e.Log));
        byte[] workArea = new byte[ConfigureConnectorWorkArea.Size];
        byte[] buffer = new byte[2048];
        int refusals = 0;

        for (int step = 0; step < 1500; step++)
        {
            HashSet<string> before = [.. m.Devices.Select(d => d.Id)];

            // Function 0's unplug takes the slot's other functions with it (QEMU 7.2).
            Dictionary<string, string> functionZero = m.Devices.OfType<PciDevice>()
                .Where(d => d.Function != 0)
                .Select(d => (d.Id, Zero: m.Devices.OfType<PciDevice>().FirstOrDefault(z => z.Phb == d.Phb && z.Slot == d.Slot && z.Function == 0)))
                .Where(p => p.Zero is not null)
                .ToDictionary(p => p.Id, p => p.Zero!.Id);
            Dictionary<string, string> parentPhb = m.Devices.OfType<PciDevice>()
                .ToDictionary(p => p.Id, p => m.Devices.OfType<PhbDevice>().First(h => h.Index == p.Phb).Id, StringComparer.Ordinal);
            int queued = m.Events.Count;
            int action = random.Next(100);

            // Only management operations may be refused, and a refusal changes nothing.
            byte[]? beforeRefusal = action < 31 ? MachineStateCodec.Encode(m) : null;
            try
            {
                switch (action)
                {
                    case < 6:
                        platform.Management.PlugCpu(random.Next(8));
                        break;
                    case < 11:
                        platform.Management.PlugMemory((ulong)(1 + random.Next(4)) * MachineProfile.LmbSize);
                        break;
                    case < 14:
                        platform.Management.PlugPhb(random.Next(4));
                        break;
                    case < 20:
                        platform.Management.PlugPci(random.Next(3), random.Next(8), random.Next(3) == 0 ? random.Next(8) : 0);
                        break;
                    case < 28 when m.Devices.Count > 0:
                        string victim = m.Devices.ElementAt(random.Next(m.Devices.Count)).Id;
                        mayVanish.Add(victim);
                        if (random.Next(4) == 0)
                        {
                            platform.Management.Reclaim(victim);
                        }
                        else
                        {
                            platform.Management.Unplug(victim);
                        }

                        break;
                    case < 29:
                        mayVanish.UnionWith(m.Connectors.Where(d => d.UnplugRequested && d.DeviceId is not null).Select(d => d.DeviceId!));
                        platform.Management.Reset();
                        expectedEvents.Clear();
                        break;
                    case < 31:
                        platform.Management.Powerdown();
                        break;
                    case < 38:
                        Assert.True(platform.CheckException(0x500, 0, 0xFFFFFFFF, buffer) is var status && status.Value is 0 or 1);
                        if (status.IsSuccess)
                        {
                            byte[] first = expectedEvents[0];
                            expectedEvents.RemoveAt(0);
                            Assert.Equal(first, buffer.AsSpan(0, first.Length).ToArray());
                        }

                        break;
                    case < 40:
                        Assert.Equal(1, platform.EventScan(0xFFFFFFFF, buffer).Value);
                        break;
                    default:
                        GuestCall(platform, random, workArea);
                        break;
                }
            }
            catch (PlatformException refusal) when (beforeRefusal is not null)
            {
                refusals++;
                Assert.True(beforeRefusal.AsSpan().SequenceEqual(MachineStateCodec.Encode(m)),
                    $"step {step}: a refused management operation changed the machine ({refusal.Message})");
            }

            // Events appended by this step join the expected order.
            for (int i = queued; i < m.Events.Count; i++)
            {
                expectedEvents.Add(m.Events[i].Log);
            }

            Assert.Equal(expectedEvents.Count, m.Events.Count);
            foreach (string gone in before.Except(m.Devices.Select(d => d.Id)))
            {
                // A PCI function also goes when its PHB's unplug completes.
                bool allowed = mayVanish.Contains(gone)
                    || (parentPhb.TryGetValue(gone, out string? phb) && mayVanish.Contains(phb))
                    || (functionZero.TryGetValue(gone, out string? zero) && mayVanish.Contains(zero));
                Assert.True(allowed, $"step {step}: device {gone} disappeared without an unplug or reclaim");
            }

            CheckConnectors(m, step);
            if (step % 250 == 0)
            {
                byte[] saved = MachineStateCodec.Encode(m);
                Assert.Equal(saved, MachineStateCodec.Encode(MachineStateCodec.Decode(saved, "test")));
            }
        }

        // The mix exercises refusals (a plug into a full slot, an unplug already pending) without being mostly refusals.
        Assert.InRange(refusals, 1, 1500 / 4);
    }

    private static void GuestCall(EmulatedPlatform platform, Random random, byte[] workArea)
    {
        EmulatedDrc[] candidates = [.. platform.State.Connectors.Where(d => d.HasDevice || random.Next(20) == 0)];
        if (candidates.Length == 0)
        {
            return;
        }

        EmulatedDrc drc = candidates[random.Next(candidates.Length)];
        switch (random.Next(6))
        {
            case 0:
                platform.GetSensorState(DrIndicators.EntitySense, drc.Index);
                break;
            case 1:
                platform.SetIndicator(DrIndicators.AllocationState, drc.Index, (uint)random.Next(2));
                break;
            case 2:
                platform.SetIndicator(DrIndicators.IsolationState, drc.Index, (uint)random.Next(2));
                break;
            case 3:
                platform.SetIndicator(DrIndicators.DrIndicator, drc.Index, (uint)random.Next(5));
                break;
            default:
                ConfigureConnectorWorkArea.Initialize(workArea, drc.Index);
                for (int i = 0; i < 2000; i++)
                {
                    RtasStatus status = platform.ConfigureConnector(workArea, []);
                    if (status.Value is not (1 or 2 or 3 or 4) || random.Next(50) == 0)
                    {
                        break;
                    }
                }

                break;
        }
    }

    private static void CheckConnectors(MachineState m, int step)
    {
        foreach (EmulatedDrc drc in m.Connectors)
        {
            uint sense = drc.IsPhysical ? (drc.HasDevice ? 1u : 0u) : drc.State == DrcState.LogicalUnusable ? 2u : 1u;
            Assert.Equal(sense, drc.Sense);
            if (drc.State != drc.EmptyState)
            {
                Assert.True(drc.HasDevice, $"step {step}: {drc} is {drc.State} without a device");
            }

            if (drc.DeviceId is { } id)
            {
                Assert.True(m.FindDevice(id) is not null, $"step {step}: {drc} names missing device {id}");
            }

            Assert.Equal(drc.IsPhysical, drc.State >= DrcState.PhysicalAvailable);
        }

        foreach (MemoryDevice dimm in m.Devices.OfType<MemoryDevice>())
        {
            Assert.Equal(dimm.AttachedLmbs, m.Connectors.Count(d => d.DeviceId == dimm.Id));
        }
    }
}
