namespace DlparAgent.Emulation.Devices;

/// <summary>How a device came to the partition, which decides who may take it away.</summary>
public enum DeviceOrigin
{
    /// <summary>Present at boot (QEMU coldplug): configured, no event.</summary>
    Boot,

    /// <summary>Plugged at run time KVM-style: an add event was queued; removal is the hypervisor's request.</summary>
    Hotplug,

    /// <summary>Made available PowerVM-style without an event: the partition may release it and take it again until it is reclaimed.</summary>
    Assigned,
}
