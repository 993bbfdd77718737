using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats.Ofdt;

namespace DlparAgent.Core.Kernel;

/// <summary>
/// The operating system's side of DLPAR, as the agent uses it: the device tree, the DLPAR and
/// ofdt interfaces, CPUs and memory blocks. Implementations: Linux (files under an injectable
/// root) and the emulated kernel. Failures are <see cref="KernelException"/>s carrying the errno.
/// </summary>
public interface IGuestKernel
{
    /// <summary>A snapshot of the device tree (<c>/proc/device-tree</c>).</summary>
    DtNode ReadDeviceTree();

    /// <summary>What <c>/sys/kernel/dlpar</c> advertises.</summary>
    KernelDlparCapabilities ReadDlparCapabilities();

    /// <summary>One write to <c>/sys/kernel/dlpar</c>, run synchronously by the kernel.</summary>
    void WriteDlpar(string request);

    /// <summary>One write to <c>/proc/powerpc/ofdt</c>.</summary>
    void WriteOfdt(OfdtCommand command);

    IReadOnlyList<CpuThread> ReadCpuThreads();

    void SetCpuOnline(int number, bool online);

    /// <summary>Old kernels: <c>/sys/devices/system/cpu/probe</c> and <c>release</c> exist.</summary>
    bool HasCpuProbe();

    /// <summary>Whether <c>/sys/devices/system/power/hibernate</c> exists (drmgr's partition-hibernation check).</summary>
    bool HasHibernation();

    /// <summary>The keys and values of <c>lparcfg</c>, or null when the kernel has none (<see cref="Lparcfg"/>).</summary>
    IReadOnlyDictionary<string, string>? ReadLparcfg();

    /// <summary>One <c>write()</c> of <c>key=value\n</c> to lparcfg (the kernel calls H_SET_PPP or H_SET_MPP).</summary>
    /// <exception cref="KernelException">The kernel refused it, with its errno.</exception>
    void WriteLparcfg(string line);

    /// <summary><c>/sys/kernel/mobility/api_version</c>, or null when the kernel has no migration interface.</summary>
    int? ReadMigrationApiVersion();

    /// <summary>
    /// Writes the stream id to <c>/sys/kernel/mobility/migration</c>: the kernel suspends the
    /// partition, the hypervisor moves it, and the write returns once it runs on the destination
    /// (with the device tree updated) or fails.
    /// </summary>
    /// <exception cref="KernelException">The migration failed, with the kernel's errno.</exception>
    void WriteMigration(ulong streamId);

    /// <summary>Writes the stream id to <c>/sys/devices/system/power/hibernate</c>: the partition suspends to the hypervisor and resumes.</summary>
    /// <exception cref="KernelException">The hibernation failed, with the kernel's errno.</exception>
    void WriteHibernation(ulong streamId);

    /// <summary>An NX accelerator type's QoS credits (<c>vas0/TYPE/qos_capabilities</c>), or null when the partition has none of that type.</summary>
    AcceleratorCredits? ReadAcceleratorCredits(string type);

    /// <summary>One <c>write()</c> of a new QoS credit total for the type (the kernel reconfigures its windows).</summary>
    /// <exception cref="KernelException">The kernel refused it, with its errno.</exception>
    void WriteAcceleratorCredits(string type, int credits);

    /// <summary>Writes a DRC index to <c>/sys/devices/system/cpu/probe</c>.</summary>
    void ProbeCpu(uint drcIndex);

    /// <summary>Writes a device-tree path to <c>/sys/devices/system/cpu/release</c>.</summary>
    void ReleaseCpu(string path);

    /// <summary><c>/sys/devices/system/memory/block_size_bytes</c>.</summary>
    ulong ReadMemoryBlockSize();

    IReadOnlyList<MemoryBlock> ReadMemoryBlocks();

    /// <summary>Whether <c>/sys/devices/system/memory/probe</c> exists.</summary>
    bool HasMemoryProbe();

    /// <summary>Writes a physical address to <c>/sys/devices/system/memory/probe</c>: the block appears, offline.</summary>
    void ProbeMemory(ulong address);

    /// <summary>Writes <c>online</c> or <c>offline</c> to <c>memoryN/state</c>.</summary>
    void SetMemoryBlockOnline(int number, bool online);

    /// <summary>The DRC names rpadlpar has added (PHBs, logical and virtual I/O slots).</summary>
    IReadOnlyCollection<string> ReadDlparSlots();

    /// <summary>Writes a DRC name to <c>/sys/bus/pci/slots/control/add_slot</c>.</summary>
    void AddSlot(string drcName);

    /// <summary>Writes a DRC name to <c>/sys/bus/pci/slots/control/remove_slot</c>.</summary>
    void RemoveSlot(string drcName);

    IReadOnlyList<HotplugSlot> ReadHotplugSlots();

    /// <summary>One rpaphp slot, or null when rpaphp does not know it (reads only that slot's files).</summary>
    HotplugSlot? ReadHotplugSlot(string name);

    /// <summary>Writes 1 or 0 to <c>/sys/bus/pci/slots/&lt;name&gt;/power</c>: configures or unconfigures the adapter.</summary>
    void SetSlotPower(string name, bool powered);

    /// <summary>
    /// The PCI devices the kernel has: each one's device-tree path (<c>devspec</c>) with its name in
    /// <c>/sys/bus/pci/devices</c>, its PCI address (<c>0000:00:01.0</c>).
    /// </summary>
    IReadOnlyDictionary<string, string> ReadPciDevices();

    /// <summary>Writes 1 to <c>/sys/bus/pci/rescan</c>.</summary>
    void RescanPci();

    /// <summary>Writes 1 to <c>/sys/bus/pci/devices/&lt;dev&gt;/remove</c> for the device with this devspec.</summary>
    void RemovePciDevice(string devspec);
}
