namespace DlparAgent.Emulation.Devices;

/// <summary>A device the platform can attach to connectors.</summary>
public abstract class EmulatedDevice(string id, DeviceOrigin origin)
{
    public string Id { get; } = id;

    public DeviceOrigin Origin { get; set; } = origin;

    /// <summary>A short description for listings, e.g. <c>cpu core 8 (8 threads)</c>.</summary>
    public abstract string Describe();
}
