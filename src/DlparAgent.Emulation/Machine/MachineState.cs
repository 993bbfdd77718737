using DlparAgent.Emulation.Devices;

namespace DlparAgent.Emulation.Machine;

/// <summary>
/// Everything the emulated platform remembers between processes: the profile, what was
/// negotiated, every connector and device, the event queue, fault rules and the device tree
/// handed to the guest at the last reset or CAS.
/// </summary>
public sealed class MachineState
{
    private readonly Dictionary<uint, EmulatedDrc> _drcs = [];
    private readonly Dictionary<string, EmulatedDevice> _devices = new(StringComparer.Ordinal);

    // Sorted lazily and kept until the set of connectors changes: listings and saves want index order.
    private EmulatedDrc[]? _ordered;

    public MachineState(MachineProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile.Validate();
        Profile = profile;
    }

    public MachineProfile Profile { get; }

    public Ov5 Negotiated { get; set; }

    /// <summary>False until the guest performed CAS; before it, QEMU allows memory unplug ("CAS will process it").</summary>
    public bool CasPerformed { get; set; }

    public IReadOnlyCollection<EmulatedDrc> Connectors => _drcs.Values;

    public IReadOnlyCollection<EmulatedDevice> Devices => _devices.Values;

    public List<QueuedEvent> Events { get; } = [];

    public List<FaultRule> Faults { get; } = [];

    /// <summary>Notifications a management client would see (QMP events): device deleted, guest refused an unplug.</summary>
    public List<string> Notifications { get; } = [];

    /// <summary>Interrupt pulses per IRQ number, for observing event signalling.</summary>
    public Dictionary<uint, int> IrqPulses { get; } = [];

    /// <summary>Power level per power domain (PowerVM slots); QEMU's only domain, -1, is always at 100.</summary>
    public Dictionary<uint, uint> PowerLevels { get; } = [];

    public uint NextPlid { get; set; }

    public int NextMemoryNumber { get; set; }

    public int NextPciNumber { get; set; }

    /// <summary>Opaque sections persisted with the machine by other components (the emulated kernel's state).</summary>
    public Dictionary<string, byte[]> Extensions { get; } = new(StringComparer.Ordinal);

    /// <summary>The flattened device tree built at the last reset or CAS (QEMU never patches it at run time).</summary>
    public byte[] BootTree { get; set; } = [];

    public IReadOnlyList<EmulatedDrc> ConnectorsInOrder
    {
        get
        {
            if (_ordered is null)
            {
                EmulatedDrc[] ordered = [.. _drcs.Values];
                Array.Sort(ordered, static (a, b) => a.Index.CompareTo(b.Index));
                _ordered = ordered;
            }

            return _ordered;
        }
    }

    public EmulatedDrc? FindDrc(uint index) => _drcs.GetValueOrDefault(index);

    public void AddDrc(EmulatedDrc drc)
    {
        _drcs.Add(drc.Index, drc);
        _ordered = null;
    }

    public bool RemoveDrc(uint index)
    {
        _ordered = null;
        return _drcs.Remove(index);
    }

    public EmulatedDevice? FindDevice(string id) => _devices.GetValueOrDefault(id);

    public void AddDevice(EmulatedDevice device) => _devices.Add(device.Id, device);

    public bool RemoveDevice(string id) => _devices.Remove(id);

    public T? DeviceOf<T>(EmulatedDrc drc)
        where T : EmulatedDevice => drc.DeviceId is { } id ? FindDevice(id) as T : null;

    public void Notify(string notification)
    {
        Notifications.Add(notification);
        if (Notifications.Count > 200)
        {
            Notifications.RemoveRange(0, Notifications.Count - 200);
        }
    }

    public void Pulse(uint irq) => IrqPulses[irq] = IrqPulses.GetValueOrDefault(irq) + 1;
}
