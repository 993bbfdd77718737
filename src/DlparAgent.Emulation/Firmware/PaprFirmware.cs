using System.Buffers.Binary;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.DeviceTree;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Firmware;

/// <summary>
/// The DR RTAS services of the emulated platform: QEMU's connector state machines, sensors,
/// indicators, configure-connector walk and event delivery (papr-platform.md §1–3), with the
/// LoPAR variants where the profile is strict.
/// </summary>
internal sealed class PaprFirmware(MachineState machine)
{
    public const uint EpowIrq = 0x1000;
    public const uint HotplugIrq = 0x1001;

    private readonly MachineState _machine = machine;

    // Fragments are frozen from the first configure-connector call until release (a reset keeps them).
    private readonly Dictionary<uint, WalkToken[]> _fragments = [];

    private bool Strict => _machine.Profile.Strict;

    public void ForgetFragment(uint index) => _fragments.Remove(index);

    public RtasResult GetSensorState(uint sensor, uint index)
    {
        if (sensor != DrIndicators.EntitySense || _machine.FindDrc(index) is not { } drc)
        {
            return new RtasResult(RtasStatus.ParameterError, 0);
        }

        return new RtasResult(RtasStatus.Success, drc.Sense);
    }

    public RtasStatus SetIndicator(uint indicator, uint index, uint value)
    {
        EmulatedDrc? drc = _machine.FindDrc(index);
        switch (indicator)
        {
            case DrIndicators.IsolationState when drc is not null && value <= 1:
                return drc.IsPhysical
                    ? (value == DrIndicators.Isolate ? IsolatePhysical(drc) : UnisolatePhysical(drc))
                    : (value == DrIndicators.Isolate ? IsolateLogical(drc) : UnisolateLogical(drc));
            case DrIndicators.DrIndicator when drc is { IsPhysical: true } && value <= 3:
                drc.DrIndicator = (byte)value;
                return RtasStatus.Success;
            case DrIndicators.AllocationState when drc is { IsPhysical: false } && value <= 1:
                return value == DrIndicators.Usable ? Allocate(drc) : Unallocate(drc);
            default:
                return RtasStatus.ParameterError;
        }
    }

    public RtasResult GetPowerLevel(uint domain) =>
        domain == uint.MaxValue ? new RtasResult(RtasStatus.Success, DrIndicators.PowerOn)
        : _machine.PowerLevels.TryGetValue(domain, out uint level) ? new RtasResult(RtasStatus.Success, level)
        : new RtasResult(RtasStatus.ParameterError, 0);

    public RtasResult SetPowerLevel(uint domain, uint level)
    {
        if (domain == uint.MaxValue)
        {
            return new RtasResult(RtasStatus.Success, DrIndicators.PowerOn);
        }

        if (!_machine.PowerLevels.ContainsKey(domain) || level is not (DrIndicators.PowerOff or DrIndicators.PowerOn))
        {
            return new RtasResult(RtasStatus.ParameterError, 0);
        }

        _machine.PowerLevels[domain] = level;
        return new RtasResult(RtasStatus.Success, level);
    }

    public RtasStatus ConfigureConnector(Span<byte> workArea, Span<byte> extension)
    {
        if (workArea.Length < ConfigureConnectorWorkArea.Size)
        {
            return RtasStatus.ParameterError;
        }

        uint index = BinaryPrimitives.ReadUInt32BigEndian(workArea);
        if (_machine.FindDrc(index) is not { } drc)
        {
            return RtasStatus.ParameterError;
        }

        if (drc.State is not (DrcState.LogicalUnisolate or DrcState.LogicalConfigured or DrcState.PhysicalUnisolate or DrcState.PhysicalConfigured))
        {
            // LoPAR R1-1: an isolated connector is complete at once; QEMU calls it unusable.
            return Strict && drc.State == DrcState.LogicalAvailable ? RtasStatus.Success : RtasStatus.ConnectorUnusable;
        }

        if (drc.Kind == DrcKind.Lmb && drc.UnplugRequested)
        {
            Lifecycle.RollBackUnplug(_machine, drc);
        }

        if (!_fragments.TryGetValue(index, out WalkToken[]? tokens))
        {
            if (!drc.HasDevice)
            {
                return RtasStatus.HardwareError;
            }

            tokens = FragmentTokens.Flatten(FragmentBuilder.Build(_machine, drc));
            _fragments[index] = tokens;
        }

        return ConnectorWalker.Step(drc, tokens, workArea, extension, Strict);
    }

    public RtasStatus CheckException(uint mask, Span<byte> buffer)
    {
        for (int i = 0; i < _machine.Events.Count; i++)
        {
            QueuedEvent queued = _machine.Events[i];
            if ((ClassOf(queued) & mask) == 0)
            {
                continue;
            }

            // QEMU copies the whole log whatever the length; a caller's buffer is never overrun here.
            queued.Log.AsSpan(0, Math.Min(queued.Log.Length, buffer.Length)).CopyTo(buffer);
            _machine.Events.RemoveAt(i);
            PulsePendingClasses();
            return RtasStatus.Success;
        }

        return RtasStatus.NoErrorsFound;
    }

    public RtasStatus EventScan()
    {
        PulsePendingClasses();
        return RtasStatus.NoErrorsFound;
    }

    /// <summary>The class mask an event is delivered under, decided at dequeue time as QEMU does.</summary>
    public uint ClassOf(QueuedEvent queued) =>
        queued.Kind == EventKind.Hotplug && (_machine.Negotiated & Ov5.HotplugEvents) != 0
            ? DrIndicators.HotplugClassMask
            : DrIndicators.EpowClassMask;

    public uint IrqOf(QueuedEvent queued) => ClassOf(queued) == DrIndicators.HotplugClassMask ? HotplugIrq : EpowIrq;

    public void PulsePendingClasses()
    {
        foreach (uint irq in _machine.Events.Select(IrqOf).Distinct())
        {
            _machine.Pulse(irq);
        }
    }

    private static RtasStatus Allocate(EmulatedDrc drc)
    {
        if (drc.State != DrcState.LogicalUnusable)
        {
            return RtasStatus.Success;
        }

        if (!drc.HasDevice || drc.UnplugRequested)
        {
            return RtasStatus.ParameterError;
        }

        drc.State = DrcState.LogicalAvailable;
        return RtasStatus.Success;
    }

    private RtasStatus Unallocate(EmulatedDrc drc)
    {
        switch (drc.State)
        {
            case DrcState.LogicalUnusable:
                return RtasStatus.Success;
            case DrcState.LogicalAvailable:
                drc.State = DrcState.LogicalUnusable;
                if (drc.UnplugRequested)
                {
                    Lifecycle.Release(_machine, drc, ForgetFragment);
                }

                return RtasStatus.Success;
            default:
                return RtasStatus.ParameterError;
        }
    }

    private RtasStatus IsolateLogical(EmulatedDrc drc)
    {
        switch (drc.State)
        {
            case DrcState.LogicalUnusable:
                return Strict ? RtasStatus.ParameterError : RtasStatus.Success;
            case DrcState.LogicalAvailable:
                return RtasStatus.Success;
            case DrcState.LogicalUnisolate:
                return RtasStatus.ParameterError;
            default:
                // QEMU: an LMB may only be isolated when QEMU asked for its DIMM's removal, so
                // "remove N by count" cannot take memory nobody is unplugging. Memory the
                // partition was assigned PowerVM-style is the partition's to give back.
                if (drc.Kind == DrcKind.Lmb && !drc.UnplugRequested && _machine.DeviceOf<MemoryDevice>(drc)?.Origin != DeviceOrigin.Assigned)
                {
                    return RtasStatus.HardwareError;
                }

                drc.State = DrcState.LogicalAvailable;
                return RtasStatus.Success;
        }
    }

    private RtasStatus UnisolateLogical(EmulatedDrc drc)
    {
        switch (drc.State)
        {
            case DrcState.LogicalUnusable:
                return RtasStatus.ParameterError;
            case DrcState.LogicalAvailable:
                drc.State = DrcState.LogicalUnisolate;
                drc.WalkCursor = 0;
                drc.WalkDepth = 0;
                return RtasStatus.Success;
            default:
                if (drc.UnplugRequested && drc.HasDevice)
                {
                    // Linux unisolates on purpose to tell the hypervisor the removal failed.
                    Lifecycle.RollBackUnplug(_machine, drc);
                }

                return RtasStatus.Success;
        }
    }

    private RtasStatus IsolatePhysical(EmulatedDrc drc)
    {
        switch (drc.State)
        {
            case DrcState.PhysicalUnisolate:
                return RtasStatus.ParameterError;
            case DrcState.PhysicalConfigured:
                drc.State = DrcState.PhysicalPowerOn;
                if (drc.UnplugRequested)
                {
                    Lifecycle.Release(_machine, drc, ForgetFragment);
                }

                return RtasStatus.Success;
            default:
                return RtasStatus.Success;
        }
    }

    private static RtasStatus UnisolatePhysical(EmulatedDrc drc)
    {
        if (drc.State != DrcState.PhysicalPowerOn)
        {
            return RtasStatus.Success;
        }

        if (!drc.HasDevice)
        {
            return RtasStatus.ParameterError;
        }

        drc.State = DrcState.PhysicalUnisolate;
        drc.WalkCursor = 0;
        drc.WalkDepth = 0;
        return RtasStatus.Success;
    }
}
