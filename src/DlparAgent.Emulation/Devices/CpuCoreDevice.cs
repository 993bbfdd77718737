namespace DlparAgent.Emulation.Devices;

/// <summary>A CPU core: its core id is the vCPU id of its first thread (QEMU's <c>core-id</c>).</summary>
public sealed class CpuCoreDevice(string id, DeviceOrigin origin, int coreId, int threads) : EmulatedDevice(id, origin)
{
    public int CoreId { get; } = coreId;

    public int Threads { get; } = threads;

    public override string Describe() => $"cpu core {CoreId} ({Threads} thread{(Threads == 1 ? "" : "s")})";
}
