using DlparAgent.Core.Rtas;

namespace DlparAgent.Conformance.Tests.Platforms;

/// <summary>
/// One implementation of the pseries platform under test: its RTAS and its management side.
/// Management refusals are <see cref="ManagementRefusedException"/> whatever the platform.
/// </summary>
public interface IReferencePlatform : IDisposable
{
    string Name { get; }

    ReferenceMode Mode { get; }

    IRtas Rtas { get; }

    /// <summary>A call with exactly these argument and result counts; null when there is no such service.</summary>
    uint[]? RawCall(string service, uint[] arguments, int resultCount);

    /// <summary>check-exception with the buffer length the caller claims; returns the status and the whole scratch page after it.</summary>
    (int Status, byte[] Page) CheckExceptionRaw(uint mask, int claimedLength);

    void PlugMemory(ulong size, string id);

    void PlugCpuCore(int coreId, string id);

    void PlugPci(int phb, int slot, int pciFunction, string model, string id, bool multifunction);

    void PlugPhb(int index, string id);

    void Unplug(string id);

    /// <summary>The DIMMs management still has, as <c>id@0xaddress</c> in address order (<c>query-memory-devices</c>).</summary>
    IReadOnlyList<string> Dimms();

    /// <summary>How management names the core with this core id (boot cores have no user-given id).</summary>
    string? CoreDevice(int coreId);

    void Reset();

    /// <summary>
    /// Waits (QEMU delivers some asynchronously) for a management notification about the device:
    /// <c>DEVICE_DELETED</c>, <c>DEVICE_UNPLUG_GUEST_ERROR</c>, <c>MEM_UNPLUG_ERROR</c>; false if it does not come.
    /// </summary>
    bool WaitNotification(string name, string id, TimeSpan timeout);

    /// <summary>The device tree the platform gives the guest (at reset, or as negotiated at CAS).</summary>
    byte[] DeviceTree();
}
