using System.Globalization;
using DlparAgent.Core.Rtas;
using DlparAgent.Qemu;

namespace DlparAgent.Conformance.Tests.Platforms;

/// <summary>QEMU's pseries machine (Debian's qemu-system-ppc) under qtest and QMP, started for one scenario.</summary>
public sealed class QemuReference : IReferencePlatform
{
    private readonly QemuMachine _machine;

    public QemuReference(ReferenceMode mode)
    {
        Mode = mode;
        _machine = QemuMachine.Launch(OptionsOf(mode), Environment.GetEnvironmentVariable);
        if (mode != ReferenceMode.Legacy)
        {
            CasClientImage.WaitNegotiated(_machine, TimeSpan.FromSeconds(60));
            _machine.Management.Pause();
        }
    }

    public string Name => "qemu";

    public ReferenceMode Mode { get; }

    public IRtas Rtas => _machine.Rtas;

    public QemuMachine Machine => _machine;

    /// <summary>QEMU's command line for the emulated profile of the mode: the same CPUs, memory, slots and PHBs.</summary>
    public static QemuMachineOptions OptionsOf(ReferenceMode mode)
    {
        Emulation.Machine.MachineProfile profile = EmulatedReference.ProfileOf(mode);
        return new QemuMachineOptions
        {
            BootCpus = profile.BootCpus,
            MaxCpus = profile.MaxCpus,
            Threads = profile.Threads,
            Memory = profile.Memory,
            MaxMemory = profile.MaxMemory,
            MemorySlots = profile.MemorySlots,
            BootPhbs = profile.BootPhbs,
            CasClient = CasClientOf(mode),
        };
    }

    private static string? CasClientOf(ReferenceMode mode) => mode switch
    {
        ReferenceMode.Legacy => null,
        ReferenceMode.Modern => CasClientImage.Path(drmemV2: true, hotplugEvents: true),
        ReferenceMode.ModernDrmemV1 => CasClientImage.Path(drmemV2: false, hotplugEvents: true),
        _ => CasClientImage.Path(drmemV2: true, hotplugEvents: false),
    };

    public uint[]? RawCall(string service, uint[] arguments, int resultCount) =>
        _machine.Rtas.RawCall(service, arguments, resultCount);

    public (int Status, byte[] Page) CheckExceptionRaw(uint mask, int claimedLength)
    {
        _machine.Rtas.FillScratch(QtestRtas.BufferAddress, QtestRtas.PageSize, 0xEE);
        uint[]? rets = _machine.Rtas.RawCall(RtasServices.CheckException, [0x500, 0, mask, 0, (uint)QtestRtas.BufferAddress, (uint)claimedLength], 1);
        return (unchecked((int)rets![0]), _machine.Rtas.ReadScratch(QtestRtas.BufferAddress, QtestRtas.PageSize));
    }

    public void PlugMemory(ulong size, string id) => Manage(() => _machine.Management.AddMemory(size, id: id));

    public void PlugCpuCore(int coreId, string id) => Manage(() => _machine.Management.AddCpuCore(coreId, id));

    public void PlugPci(int phb, int slot, int pciFunction, string model, string id, bool multifunction) =>
        Manage(() => _machine.Management.AddPci(phb, slot, pciFunction, model, id, multifunction));

    public void PlugPhb(int index, string id) => Manage(() => _machine.Management.AddPhb(index, id));

    public void Unplug(string id) => Manage(() => _machine.Management.Remove(id));

    public IReadOnlyList<string> Dimms() =>
        [.. _machine.Management.Dimms().OrderBy(d => d.Address).Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Id}@0x{d.Address:x}"))];

    public string? CoreDevice(int coreId) => _machine.Management.CpuCorePath(coreId);

    public void Reset() => _machine.Management.Reset();

    public bool WaitNotification(string name, string id, TimeSpan timeout)
    {
        try
        {
            _machine.Qmp.WaitFor(e => e.Name == name && e.Device == id, timeout);
            return true;
        }
        catch (QemuException error) when (error.Problem == QemuProblem.Timeout)
        {
            return false;
        }
    }

    public byte[] DeviceTree() => _machine.Management.DumpDeviceTree();

    public void Dispose() => _machine.Dispose();

    private static void Manage(Action operation)
    {
        try
        {
            operation();
        }
        catch (QemuException error) when (error.Problem == QemuProblem.Refused)
        {
            throw new ManagementRefusedException(error.Message, error);
        }
    }
}
