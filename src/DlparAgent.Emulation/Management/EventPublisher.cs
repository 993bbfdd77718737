using DlparAgent.Core.Formats.Events;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Emulation.Management;

/// <summary>Queues hotplug and EPOW events as QEMU does: append to the FIFO and pulse the class interrupt.</summary>
internal sealed class EventPublisher(MachineState machine, PaprFirmware firmware, TimeProvider time)
{
    public void Hotplug(DrcKind kind, HotplugAction action, HotplugIdentifier identifier)
    {
        HotplugResource resource = kind switch
        {
            DrcKind.Cpu => HotplugResource.Cpu,
            DrcKind.Lmb => HotplugResource.Memory,
            DrcKind.Phb => HotplugResource.Phb,
            DrcKind.Pci => HotplugResource.Pci,
            DrcKind.Pmem => HotplugResource.Pmem,
            _ => HotplugResource.Slot,
        };
        Enqueue(EventKind.Hotplug, RtasEventBuilder.Hotplug(resource, action, identifier, NextStamp()));
    }

    public void Epow(byte actionCode, byte modifier) =>
        Enqueue(EventKind.Epow, RtasEventBuilder.Epow(NextStamp(), actionCode, modifier));

    private void Enqueue(EventKind kind, RtasEventLog log)
    {
        var queued = new QueuedEvent(kind, log.ToArray());
        machine.Events.Add(queued);
        machine.Pulse(firmware.IrqOf(queued));
    }

    /// <summary>The guest's clock and QEMU's PLID counter, stored host-endian as QEMU on a little-endian host does.</summary>
    private RtasEventStamp NextStamp() => new(time.GetUtcNow().UtcDateTime, machine.NextPlid++, PlidLittleEndian: true);
}
