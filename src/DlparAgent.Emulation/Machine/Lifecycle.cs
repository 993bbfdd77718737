using DlparAgent.Emulation.Devices;

namespace DlparAgent.Emulation.Machine;

/// <summary>
/// Device lifecycle steps shared by the firmware (unplug completing when the guest lets go) and
/// management (immediate release of devices the guest never took): QEMU's release and rollback.
/// </summary>
internal static class Lifecycle
{
    /// <summary>QEMU <c>spapr_drc_release</c>: the device leaves the machine (a DIMM when its last LMB goes).</summary>
    public static void Release(MachineState machine, EmulatedDrc drc, Action<uint> forgetFragment)
    {
        string? id = drc.DeviceId;
        drc.UnplugRequested = false;
        drc.DeviceId = null;
        drc.WalkCursor = 0;
        drc.WalkDepth = 0;
        forgetFragment(drc.Index);
        if (id is null || machine.FindDevice(id) is not { } device)
        {
            return;
        }

        switch (device)
        {
            case MemoryDevice dimm:
                dimm.AttachedLmbs--;
                if (dimm.AttachedLmbs <= 0)
                {
                    RemoveDevice(machine, dimm);
                }

                break;
            case PhbDevice phb:
                string path = $"/pci@{phb.Buid:x}";
                foreach (EmulatedDrc slot in machine.Connectors.Where(d => d.Kind == DrcKind.Pci && d.ContainerPath == path).ToList())
                {
                    if (slot.DeviceId is { } child)
                    {
                        RemoveDevice(machine, machine.FindDevice(child)!);
                    }

                    forgetFragment(slot.Index);
                    machine.RemoveDrc(slot.Index);
                }

                RemoveDevice(machine, phb);
                break;
            default:
                RemoveDevice(machine, device);
                break;
        }
    }

    /// <summary>
    /// The guest refused an unplug (unisolate, or configure-connector on an LMB, while it is pending):
    /// the request is withdrawn, for a DIMM on every one of its LMBs.
    /// </summary>
    public static void RollBackUnplug(MachineState machine, EmulatedDrc drc)
    {
        if (machine.DeviceOf<MemoryDevice>(drc) is { } dimm)
        {
            foreach (uint index in dimm.LmbIndexes)
            {
                if (machine.FindDrc(index) is { DeviceId: not null } lmb && lmb.DeviceId == dimm.Id)
                {
                    lmb.UnplugRequested = false;
                }
            }

            machine.Notify($"MEM_UNPLUG_ERROR {dimm.Id}");
            machine.Notify($"DEVICE_UNPLUG_GUEST_ERROR {dimm.Id}");
            return;
        }

        drc.UnplugRequested = false;
        machine.Notify($"DEVICE_UNPLUG_GUEST_ERROR {drc.DeviceId}");
    }

    private static void RemoveDevice(MachineState machine, EmulatedDevice device)
    {
        machine.RemoveDevice(device.Id);
        machine.Notify($"DEVICE_DELETED {device.Id}");
    }
}
