using System.Globalization;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Management;

namespace DlparAgent.Conformance.Tests.Platforms;

/// <summary>The emulated platform with the profile of the QEMU machine it is compared with.</summary>
public sealed class EmulatedReference : IReferencePlatform
{
    private const ulong ScratchBase = 0x100_0000;
    private const int ScratchSize = 0x4000;

    private readonly EmulatedPlatform _platform;
    private readonly GuestMemory _memory = new(ScratchBase, ScratchSize);
    private readonly HashSet<int> _consumed = [];

    public EmulatedReference(ReferenceMode mode)
    {
        Mode = mode;
        _platform = EmulatedPlatform.Create(ProfileOf(mode));
        if (mode == ReferenceMode.ModernNoHotplugEvents)
        {
            // A guest that leaves HP_EVT out of its vector, as the CAS client variant does.
            _platform.Management.ClientArchitectureSupport(Ov5.DrconfMemory | Ov5.DrmemV2);
        }
    }

    public string Name => "emulated";

    public ReferenceMode Mode { get; }

    public IRtas Rtas => _platform;

    public EmulatedPlatform Platform => _platform;

    public static MachineProfile ProfileOf(ReferenceMode mode) => new()
    {
        // QEMU's machine of the reference: -smp 1,maxcpus=8 -m 2G,slots=8,maxmem=8G.
        Negotiation = mode == ReferenceMode.Legacy ? NegotiationMode.Legacy : NegotiationMode.Modern,
        DrmemV2 = mode != ReferenceMode.ModernDrmemV1,

        // QEMU's LMB node address (bit 59 set) is a bug the emulator reproduces only when asked.
        QemuLmbAddressBug = true,
    };

    public uint[]? RawCall(string service, uint[] arguments, int resultCount)
    {
        if (EmulatedPlatform.TokenOf(service) is not { } token)
        {
            return null;
        }

        var frame = new RtasCallFrame();
        frame.Set(token, resultCount, arguments);
        _platform.Dispatch(frame, _memory);
        return [.. Enumerable.Range(0, resultCount).Select(frame.Output)];
    }

    public (int Status, byte[] Page) CheckExceptionRaw(uint mask, int claimedLength)
    {
        const ulong buffer = ScratchBase + 0x3000;
        _memory.Bytes[0x3000..0x4000].Fill(0xEE);
        uint[]? rets = RawCall(RtasServices.CheckException, [0x500, 0, mask, 0, (uint)buffer, (uint)claimedLength], 1);
        return (unchecked((int)rets![0]), _memory.Bytes[0x3000..0x4000].ToArray());
    }

    public void PlugMemory(ulong size, string id) => Manage(() => _platform.Management.PlugMemory(size, id: id));

    public void PlugCpuCore(int coreId, string id) => Manage(() => _platform.Management.PlugCpu(coreId, id));

    public void PlugPci(int phb, int slot, int pciFunction, string model, string id, bool multifunction) =>
        Manage(() => _platform.Management.PlugPci(phb, slot, pciFunction, PciModel.Find(model), id));

    public void PlugPhb(int index, string id) => Manage(() => _platform.Management.PlugPhb(index, id));

    public void Unplug(string id) => Manage(() => _platform.Management.Unplug(id));

    public IReadOnlyList<string> Dimms() =>
        [.. _platform.State.Devices.OfType<MemoryDevice>().OrderBy(d => d.Address)
            .Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Id}@0x{d.Address:x}"))];

    public string? CoreDevice(int coreId) => _platform.State.FindDrc(0x1000_0000 + (uint)coreId)?.DeviceId;

    public void Reset() => _platform.Management.Reset();

    public bool WaitNotification(string name, string id, TimeSpan timeout)
    {
        List<string> notifications = _platform.State.Notifications;
        for (int i = 0; i < notifications.Count; i++)
        {
            if (!_consumed.Contains(i) && notifications[i] == $"{name} {id}")
            {
                _consumed.Add(i);
                return true;
            }
        }

        return false;
    }

    public byte[] DeviceTree() => FdtWriter.Write(_platform.ReadBootTree());

    public void Dispose()
    {
    }

    private static void Manage(Action operation)
    {
        try
        {
            operation();
        }
        catch (PlatformException error)
        {
            throw new ManagementRefusedException(error.Message, error);
        }
    }
}
