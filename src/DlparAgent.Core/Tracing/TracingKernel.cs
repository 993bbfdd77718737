using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Core.Tracing;

/// <summary>An <see cref="IGuestKernel"/> that records every write it passes on (reads are not recorded).</summary>
public sealed class TracingKernel(IGuestKernel inner, OperationTrace trace) : IGuestKernel
{
    public KernelDlparCapabilities ReadDlparCapabilities() => inner.ReadDlparCapabilities();

    public IReadOnlyList<CpuThread> ReadCpuThreads() => inner.ReadCpuThreads();

    public bool HasCpuProbe() => inner.HasCpuProbe();

    public bool HasHibernation() => inner.HasHibernation();

    public IReadOnlyDictionary<string, string>? ReadLparcfg() => inner.ReadLparcfg();

    public void WriteLparcfg(string line) => Record(KernelWrites.LparcfgLine(line), () => inner.WriteLparcfg(line));

    public int? ReadMigrationApiVersion() => inner.ReadMigrationApiVersion();

    public void WriteMigration(ulong streamId) => Record(KernelWrites.MigrationStream(streamId), () => inner.WriteMigration(streamId));

    public void WriteHibernation(ulong streamId) => Record(KernelWrites.HibernationStream(streamId), () => inner.WriteHibernation(streamId));

    public AcceleratorCredits? ReadAcceleratorCredits(string type) => inner.ReadAcceleratorCredits(type);

    public void WriteAcceleratorCredits(string type, int credits) =>
        Record(KernelWrites.AcceleratorCredits(type, credits), () => inner.WriteAcceleratorCredits(type, credits));

    public ulong ReadMemoryBlockSize() => inner.ReadMemoryBlockSize();

    public IReadOnlyList<MemoryBlock> ReadMemoryBlocks() => inner.ReadMemoryBlocks();

    public bool HasMemoryProbe() => inner.HasMemoryProbe();

    public IReadOnlyCollection<string> ReadDlparSlots() => inner.ReadDlparSlots();

    public IReadOnlyList<HotplugSlot> ReadHotplugSlots() => inner.ReadHotplugSlots();

    public HotplugSlot? ReadHotplugSlot(string name) => inner.ReadHotplugSlot(name);

    public IReadOnlyDictionary<string, string> ReadPciDevices() => inner.ReadPciDevices();

    public DtNode ReadDeviceTree() => inner.ReadDeviceTree();

    public void WriteDlpar(string request) => Record(KernelWrites.DlparRequest(request), () => inner.WriteDlpar(request));

    public void WriteOfdt(OfdtCommand command) => Record(KernelWrites.OfdtCommand(command), () => inner.WriteOfdt(command));

    public void SetCpuOnline(int number, bool online) => Record(KernelWrites.CpuOnline(number, online), () => inner.SetCpuOnline(number, online));

    public void ProbeCpu(uint drcIndex) => Record(KernelWrites.ProbeCpu(drcIndex), () => inner.ProbeCpu(drcIndex));

    public void ReleaseCpu(string path) => Record(KernelWrites.ReleaseCpu(path), () => inner.ReleaseCpu(path));

    public void ProbeMemory(ulong address) => Record(KernelWrites.ProbeMemory(address), () => inner.ProbeMemory(address));

    public void SetMemoryBlockOnline(int number, bool online) => Record(KernelWrites.MemoryBlockState(number, online),
        () => inner.SetMemoryBlockOnline(number, online));

    public void AddSlot(string drcName) => Record(KernelWrites.AddDlparSlot(drcName), () => inner.AddSlot(drcName));

    public void RemoveSlot(string drcName) => Record(KernelWrites.RemoveDlparSlot(drcName), () => inner.RemoveSlot(drcName));

    public void SetSlotPower(string name, bool powered) => Record(KernelWrites.SlotPower(name, powered), () => inner.SetSlotPower(name, powered));

    public void RescanPci() => Record(KernelWrites.RescanPci(), inner.RescanPci);

    public void RemovePciDevice(string devspec) => Record(KernelWrites.RemovePciDevice("<devspec " + devspec + ">"), () => inner.RemovePciDevice(devspec));

    private void Record(KernelWrite write, Action perform)
    {
        try
        {
            perform();
        }
        catch (KernelException error)
        {
            trace.Add(new KernelWriteStep(write, error.Errno.ToString()));
            throw;
        }

        trace.Add(new KernelWriteStep(write));
    }
}
