using System.Globalization;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Emulation.DeviceTree;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Management;

/// <summary>
/// What the hypervisor or HMC does to the partition: plug and unplug (KVM-style, with events),
/// assign and reclaim (PowerVM-style, without), machine reset and CAS. Per-type rules are QEMU's
/// (papr-platform.md §1.8, §3.3, §3.7).
/// </summary>
public sealed class PlatformManager
{
    private readonly MachineState _machine;
    private readonly PaprFirmware _firmware;
    private readonly EventPublisher _events;

    internal PlatformManager(MachineState machine, PaprFirmware firmware, TimeProvider time)
    {
        _machine = machine;
        _firmware = firmware;
        _events = new EventPublisher(machine, firmware, time);
    }

    private MachineProfile Profile => _machine.Profile;

    /// <summary>Plugs a CPU core by QEMU core id (the vCPU id of its first thread).</summary>
    public string PlugCpu(int coreId, string? id = null, DeviceOrigin origin = DeviceOrigin.Hotplug)
    {
        if (coreId < 0 || coreId >= Profile.MaxCpus || coreId % Profile.Threads != 0)
        {
            throw new PlatformException(string.Create(CultureInfo.InvariantCulture,
                $"core-id {coreId} is not a multiple of {Profile.Threads} below the {Profile.MaxCpus} possible CPUs"));
        }

        EmulatedDrc drc = EmptyConnector(DrcNumbering.Cpu(coreId), $"CPU core {coreId}");
        string deviceId = NewId(id, $"core{coreId / Profile.Threads}");
        _machine.AddDevice(new CpuCoreDevice(deviceId, origin, coreId, Profile.Threads));
        Attach(drc, deviceId, origin);
        if (origin == DeviceOrigin.Hotplug)
        {
            _events.Hotplug(DrcKind.Cpu, HotplugAction.Add, HotplugIdentifier.ByIndex(drc.Index));
        }

        return deviceId;
    }

    /// <summary>Plugs memory: a DIMM placed first-fit in device memory (QEMU), or free LMBs (PowerVM).</summary>
    public string PlugMemory(ulong size, int node = 0, string? id = null, DeviceOrigin origin = DeviceOrigin.Hotplug)
    {
        if (size == 0 || size % MachineProfile.LmbSize != 0)
        {
            throw new PlatformException("Hotplugged memory size must be a multiple of 256 MB");
        }

        // The node becomes the DIMM's associativity domain (QEMU's limit is its MAX_NODES, 128).
        if (node is < 0 or >= 128)
        {
            throw new PlatformException(string.Create(CultureInfo.InvariantCulture, $"NUMA node {node} is out of range 0..127"));
        }

        if (Profile.Flavor == PlatformFlavor.Qemu && _machine.Devices.Count(d => d is MemoryDevice or PmemDevice) >= Profile.MemorySlots)
        {
            throw new PlatformException(string.Create(CultureInfo.InvariantCulture, $"all {Profile.MemorySlots} memory slots are in use"));
        }

        int count = (int)(size / MachineProfile.LmbSize);
        uint first = FindFreeLmbRun(count)
            ?? throw new PlatformException($"no free run of {MachineProfile.Size(size)} in device memory");
        string deviceId = NewId(id, string.Create(CultureInfo.InvariantCulture, $"mem{_machine.NextMemoryNumber++}"));
        ulong address = (ulong)(first - DrcNumbering.LmbBase) * MachineProfile.LmbSize;
        var dimm = new MemoryDevice(deviceId, origin, address, size, node, first) { AttachedLmbs = count };
        _machine.AddDevice(dimm);
        foreach (uint index in dimm.LmbIndexes)
        {
            Attach(_machine.FindDrc(index)!, deviceId, origin);
        }

        if (origin == DeviceOrigin.Hotplug)
        {
            _events.Hotplug(DrcKind.Lmb, HotplugAction.Add, (_machine.Negotiated & Ov5.HotplugEvents) != 0
                ? HotplugIdentifier.ByCountIndexed((uint)count, first)
                : HotplugIdentifier.ByCount((uint)count));
        }

        return deviceId;
    }

    /// <summary>Plugs a PHB; its root bus brings its own PCI connectors.</summary>
    public string PlugPhb(int index, string? id = null, DeviceOrigin origin = DeviceOrigin.Hotplug)
    {
        if (index is < 0 or >= MachineProfile.MaxPhbs)
        {
            throw new PlatformException(string.Create(CultureInfo.InvariantCulture, $"PHB index {index} is outside 0..{MachineProfile.MaxPhbs - 1}"));
        }

        EmulatedDrc drc = EmptyConnector(DrcNumbering.Phb(index), $"PHB {index}");
        string deviceId = NewId(id, string.Create(CultureInfo.InvariantCulture, $"phb{index}"));
        var phb = new PhbDevice(deviceId, origin, index);
        _machine.AddDevice(phb);
        CreatePciConnectors(phb);
        Attach(drc, deviceId, origin);
        if (origin == DeviceOrigin.Hotplug)
        {
            _events.Hotplug(DrcKind.Phb, HotplugAction.Add, HotplugIdentifier.ByIndex(drc.Index));
        }

        return deviceId;
    }

    /// <summary>Plugs a PCI function with QEMU's multifunction rules.</summary>
    public string PlugPci(int phbIndex, int slot, int function = 0, PciModel? model = null, string? id = null, DeviceOrigin origin = DeviceOrigin.Hotplug)
    {
        model ??= PciModel.E1000;
        if (slot is < 0 or > 31 || function is < 0 or > 7)
        {
            throw new PlatformException("PCI slot must be 0..31 and function 0..7");
        }

        if (_machine.Devices.OfType<PhbDevice>().All(p => p.Index != phbIndex))
        {
            throw new PlatformException(string.Create(CultureInfo.InvariantCulture, $"there is no PHB {phbIndex}"));
        }

        EmulatedDrc drc = _machine.FindDrc(DrcNumbering.Pci(phbIndex, (slot << 3) | function))
            ?? throw new PlatformException(string.Create(CultureInfo.InvariantCulture,
                $"PHB {phbIndex} has no hotplug connector for slot {slot} function {function}"));
        EmulatedDrc? function0 = _machine.FindDrc(DrcNumbering.Pci(phbIndex, slot << 3));
        if (function != 0 && function0 is { HasDevice: true })
        {
            throw new PlatformException(string.Create(CultureInfo.InvariantCulture,
                $"PCI: slot {slot} function 0 already occupied by {function0.DeviceId}, additional functions can no longer be exposed to guest."));
        }

        RequireEmpty(drc, $"PCI slot {slot} function {function}");
        string deviceId = NewId(id, string.Create(CultureInfo.InvariantCulture, $"pci{_machine.NextPciNumber++}"));
        _machine.AddDevice(new PciDevice(deviceId, origin, phbIndex, slot, function, model));
        Attach(drc, deviceId, origin);
        if (origin == DeviceOrigin.Hotplug && function == 0)
        {
            // Function 0 announces every function present in the slot, in order.
            for (int f = 0; f < 8; f++)
            {
                if (_machine.FindDrc(DrcNumbering.Pci(phbIndex, (slot << 3) | f)) is { HasDevice: true } present)
                {
                    _events.Hotplug(DrcKind.Pci, HotplugAction.Add, HotplugIdentifier.ByIndex(present.Index));
                }
            }
        }

        return deviceId;
    }

    public string PlugPmem(int slot, ulong size = MachineProfile.GiB, string? id = null, DeviceOrigin origin = DeviceOrigin.Hotplug)
    {
        if (size == 0 || size % MachineProfile.LmbSize != 0)
        {
            throw new PlatformException("NVDIMM size must be a multiple of 256 MB (the SCM block size)");
        }

        EmulatedDrc drc = EmptyConnector(DrcNumbering.Pmem(slot), $"PMEM {slot}");
        string deviceId = NewId(id, string.Create(CultureInfo.InvariantCulture, $"pmem{slot}"));
        _machine.AddDevice(new PmemDevice(deviceId, origin, slot, size));
        Attach(drc, deviceId, origin);
        if (origin == DeviceOrigin.Hotplug)
        {
            _events.Hotplug(DrcKind.Pmem, HotplugAction.Add, HotplugIdentifier.ByIndex(drc.Index));
        }

        return deviceId;
    }

    /// <summary>PowerVM profile: a virtual adapter in a VIO slot.</summary>
    public string PlugVio(int slot, string model = "l-lan", string? id = null, DeviceOrigin origin = DeviceOrigin.Assigned)
    {
        if (!VioDevice.Models.Contains(model))
        {
            throw new PlatformException($"unknown virtual adapter '{model}'; known: {string.Join(", ", VioDevice.Models)}");
        }

        EmulatedDrc drc = EmptyConnector(DrcNumbering.Vio(slot), $"virtual slot {slot}");
        string deviceId = NewId(id, string.Create(CultureInfo.InvariantCulture, $"vio{slot}"));
        _machine.AddDevice(new VioDevice(deviceId, origin, slot, model));
        Attach(drc, deviceId, origin);
        if (origin == DeviceOrigin.Hotplug)
        {
            _events.Hotplug(DrcKind.VioSlot, HotplugAction.Add, HotplugIdentifier.ByIndex(drc.Index));
        }

        return deviceId;
    }

    /// <summary>Requests removal of a device; it goes when the guest lets go (or at once if the guest never took it).</summary>
    public void Unplug(string id)
    {
        EmulatedDevice device = _machine.FindDevice(id) ?? throw new PlatformException($"Device '{id}' not found");
        switch (device)
        {
            case CpuCoreDevice core:
                if (core.CoreId == 0)
                {
                    throw new PlatformException("Boot CPU core may not be unplugged");
                }

                EmulatedDrc cpu = ConnectorOf(device);
                RequestUnplug(cpu);

                // Deliberately repeated: a refused unplug can be retried by asking again.
                _events.Hotplug(DrcKind.Cpu, HotplugAction.Remove, HotplugIdentifier.ByIndex(cpu.Index));
                break;

            case MemoryDevice dimm:
                if (_machine.CasPerformed && (_machine.Negotiated & Ov5.HotplugEvents) == 0)
                {
                    throw new PlatformException("Memory hot unplug not supported for this guest");
                }

                EmulatedDrc[] lmbs = [.. dimm.LmbIndexes.Select(i => _machine.FindDrc(i)!).Where(d => d.DeviceId == dimm.Id)];
                if (lmbs.Any(d => d.UnplugRequested))
                {
                    throw new PlatformException($"Memory unplug already in progress for device {id}");
                }

                foreach (EmulatedDrc lmb in lmbs)
                {
                    RequestUnplug(lmb);
                }

                _events.Hotplug(DrcKind.Lmb, HotplugAction.Remove, HotplugIdentifier.ByCountIndexed((uint)dimm.LmbCount, dimm.FirstLmbIndex));
                break;

            case PhbDevice:
                EmulatedDrc phb = ConnectorOf(device);
                if (phb.UnplugRequested)
                {
                    throw new PlatformException($"PCI Host Bridge unplug already in progress for device {id}");
                }

                RequestUnplug(phb);
                _events.Hotplug(DrcKind.Phb, HotplugAction.Remove, HotplugIdentifier.ByIndex(phb.Index));
                break;

            case PciDevice pci:
                UnplugPci(pci);
                break;

            case PmemDevice:
                throw new PlatformException("nvdimm device hot unplug is not supported yet.");

            case VioDevice:
                EmulatedDrc vio = ConnectorOf(device);
                RequestUnplug(vio);
                _events.Hotplug(DrcKind.VioSlot, HotplugAction.Remove, HotplugIdentifier.ByIndex(vio.Index));
                break;
        }
    }

    /// <summary>PowerVM: takes back a resource the partition is not using (every connector in its empty state).</summary>
    public void Reclaim(string id)
    {
        EmulatedDevice device = _machine.FindDevice(id) ?? throw new PlatformException($"Device '{id}' not found");
        if (device is CpuCoreDevice { CoreId: 0 })
        {
            throw new PlatformException("Boot CPU core may not be reclaimed");
        }

        EmulatedDrc[] connectors = [.. _machine.Connectors.Where(d => d.DeviceId == id)];
        if (connectors.FirstOrDefault(d => d.State != d.EmptyState) is { } inUse)
        {
            throw new PlatformException($"{id} is in use by the partition ({inUse.Name} is {inUse.State}); it must release it first");
        }

        if (device is PhbDevice phb && _machine.Devices.OfType<PciDevice>().Any(p => p.Phb == phb.Index))
        {
            throw new PlatformException($"{id} still has PCI functions; reclaim them first");
        }

        foreach (EmulatedDrc drc in connectors)
        {
            Lifecycle.Release(_machine, drc, _firmware.ForgetFragment);
        }
    }

    /// <summary>Machine reset: pending unplugs complete, plugged devices become configured, the queue empties; the guest then negotiates again.</summary>
    public void Reset()
    {
        ResetConnectors();
        _machine.Events.Clear();
        _machine.Negotiated = Ov5.None;
        _machine.CasPerformed = false;
        if (Profile.Negotiation == NegotiationMode.Modern)
        {
            ClientArchitectureSupport(MachineFactory.ModernRequest(Profile));
        }
        else
        {
            RebuildTree();
        }
    }

    /// <summary>
    /// CAS: negotiate (offered ∩ requested), reset every connector, drop queued hotplug events
    /// (EPOW ones stay) and rebuild the device tree.
    /// </summary>
    public void ClientArchitectureSupport(Ov5 requested)
    {
        Ov5 offered = Ov5.DrconfMemory | Ov5.HotplugEvents | Ov5.DrmemV2 | (Profile.Flavor == PlatformFlavor.PowerVm
            || Profile.Strict ? Ov5.DrcInfo : Ov5.None);
        _machine.Negotiated = offered & requested;
        _machine.CasPerformed = true;
        ResetConnectors();
        _machine.Events.RemoveAll(e => e.Kind == EventKind.Hotplug);
        RebuildTree();
    }

    /// <summary>Queues an EPOW event (QEMU's system_powerdown: action 3, normal shutdown).</summary>
    public void Powerdown() => _events.Epow(3, 1);

    internal void RebuildTree() => _machine.BootTree = Core.Formats.Fdt.FdtWriter.Write(BootTreeBuilder.Build(_machine));

    internal void CreatePciConnectors(PhbDevice phb)
    {
        string path = $"/pci@{phb.Buid:x}";
        if (Profile.Flavor == PlatformFlavor.Qemu)
        {
            for (int devfn = 0; devfn < 256; devfn++)
            {
                _machine.AddDrc(new EmulatedDrc(DrcNumbering.Pci(phb.Index, devfn), DrcNumbering.Name("C", DrcNumbering.PciId(phb.Index, devfn)), "28",
                    DrcKind.Pci, uint.MaxValue, path));
            }

            return;
        }

        for (int slot = 0; slot < DrcNumbering.PowerVmSlotsPerPhb; slot++)
        {
            int location = (phb.Index * DrcNumbering.PowerVmSlotsPerPhb) + slot + 1;
            uint domain = (uint)location;
            _machine.AddDrc(new EmulatedDrc(DrcNumbering.Pci(phb.Index, slot << 3), DrcNumbering.Name(DrcNumbering.PciLocationPrefix, location), "28",
                DrcKind.Pci, domain, path));
            _machine.PowerLevels.TryAdd(domain, 100);
        }
    }

    private void UnplugPci(PciDevice pci)
    {
        EmulatedDrc drc = ConnectorOf(pci);
        if (pci.Function != 0)
        {
            if (!drc.UnplugRequested)
            {
                RequestUnplug(drc);
            }

            return;
        }

        EmulatedDrc[] functions = [.. Enumerable.Range(0, 8)
            .Select(f => _machine.FindDrc(DrcNumbering.Pci(pci.Phb, (pci.Slot << 3) | f)))
            .OfType<EmulatedDrc>()];
        if (drc.UnplugRequested)
        {
            return;
        }

        // Function 0 takes the whole slot with it (QEMU 7.2 accepts it with other functions present;
        // papr-platform.md P08's refusal is older QEMU): every function is asked to go.
        RequestUnplug(drc);
        foreach (EmulatedDrc function in functions.Where(f => f.Index != drc.Index && f.HasDevice && !f.UnplugRequested))
        {
            RequestUnplug(function);
        }
        foreach (EmulatedDrc function in functions.Reverse())
        {
            // Functions the guest never took were released at once and get no event.
            if (function.HasDevice && function.UnplugRequested)
            {
                _events.Hotplug(DrcKind.Pci, HotplugAction.Remove, HotplugIdentifier.ByIndex(function.Index));
            }
        }
    }

    /// <summary>QEMU <c>spapr_drc_unplug_request</c>: mark, and release at once if the guest never took it.</summary>
    private void RequestUnplug(EmulatedDrc drc)
    {
        drc.UnplugRequested = true;
        if (drc.State == drc.EmptyState)
        {
            Lifecycle.Release(_machine, drc, _firmware.ForgetFragment);
        }
    }

    private void ResetConnectors()
    {
        foreach (EmulatedDrc drc in _machine.Connectors.ToList())
        {
            if (drc.UnplugRequested && _machine.FindDrc(drc.Index) is not null)
            {
                Lifecycle.Release(_machine, drc, _firmware.ForgetFragment);
            }
        }

        foreach (EmulatedDrc drc in _machine.Connectors)
        {
            drc.ResetState();
        }

        // QEMU: after a reset, hot-plugged DIMMs and PCI functions are cold-plugged ones (a PCI
        // function's config registers are reset too, which clears the cache-line size).
        foreach (EmulatedDevice device in _machine.Devices.Where(d => d.Origin == DeviceOrigin.Hotplug && d is MemoryDevice or PciDevice))
        {
            device.Origin = DeviceOrigin.Boot;
        }

        // Fragments stay: QEMU keeps a configured connector's fragment across a reset and only
        // restarts its walk, so a fragment keeps what it said when it was made (ibm,pft-size, say).
    }

    private static void Attach(EmulatedDrc drc, string deviceId, DeviceOrigin origin)
    {
        drc.DeviceId = deviceId;
        drc.UnplugRequested = false;
        if (origin == DeviceOrigin.Boot)
        {
            drc.ResetState(); // coldplug: configured at once
        }
        else if (drc.IsPhysical)
        {
            drc.DrIndicator = 0;
        }
    }

    private uint? FindFreeLmbRun(int count)
    {
        uint first = DrcNumbering.Lmb(Profile.FirstLmbId);
        int total = Profile.LmbConnectorCount;

        // QEMU places a DIMM first-fit among the DIMMs it still has: one whose unplug is pending or
        // half done by the guest keeps its whole range until its last LMB is released.
        HashSet<uint>? heldByDimms = Profile.Flavor == PlatformFlavor.Qemu
            ? [.. _machine.Devices.OfType<MemoryDevice>().SelectMany(d => d.LmbIndexes)]
            : null;
        int run = 0;
        for (int i = 0; i < total; i++)
        {
            uint index = first + (uint)i;
            EmulatedDrc? drc = _machine.FindDrc(index);
            bool free = heldByDimms is null ? drc is { HasDevice: false, State: DrcState.LogicalUnusable } : drc is not null && !heldByDimms.Contains(index);
            run = free ? run + 1 : 0;
            if (run == count)
            {
                return first + (uint)(i - count + 1);
            }
        }

        return null;
    }

    private EmulatedDrc EmptyConnector(uint index, string what)
    {
        EmulatedDrc drc = _machine.FindDrc(index) ?? throw new PlatformException($"there is no connector for {what}");
        RequireEmpty(drc, what);
        return drc;
    }

    private static void RequireEmpty(EmulatedDrc drc, string what)
    {
        if (drc.HasDevice || drc.State != drc.EmptyState)
        {
            throw new PlatformException($"{what} ({drc.Name}) is occupied");
        }
    }

    private EmulatedDrc ConnectorOf(EmulatedDevice device) =>
        _machine.Connectors.FirstOrDefault(d => d.DeviceId == device.Id) ?? throw new PlatformException($"{device.Id} is not attached");

    private string NewId(string? requested, string fallback)
    {
        string id = requested ?? fallback;

        // QEMU's rule for ids: a letter, then letters, digits, '-', '.' and '_' (an id never names a path).
        if (id.Length is 0 or > 128 || !char.IsAsciiLetter(id[0]) || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            throw new PlatformException($"'{id}' is not a valid device id: it starts with a letter and holds only letters, digits, '-', '.' and '_'");
        }

        return _machine.FindDevice(id) is null ? id : throw new PlatformException($"Duplicate device ID '{id}'");
    }
}
