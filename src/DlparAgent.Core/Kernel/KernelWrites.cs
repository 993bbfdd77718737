using System.Globalization;
using System.Text;
using DlparAgent.Core.Formats.Ofdt;

namespace DlparAgent.Core.Kernel;

/// <summary>
/// The files the agent writes and the exact bytes of each write (drmgr's formats), shared by the
/// Linux backend, which performs them, and the dry run, which prints them.
/// </summary>
public static class KernelWrites
{
    public const string Dlpar = "/sys/kernel/dlpar";
    public const string Ofdt = "/proc/powerpc/ofdt";
    public const string CpuProbe = "/sys/devices/system/cpu/probe";
    public const string CpuRelease = "/sys/devices/system/cpu/release";
    public const string MemoryProbe = "/sys/devices/system/memory/probe";
    public const string AddSlot = "/sys/bus/pci/slots/control/add_slot";
    public const string RemoveSlot = "/sys/bus/pci/slots/control/remove_slot";
    public const string PciRescan = "/sys/bus/pci/rescan";

    /// <summary>lparcfg; <c>/proc/ppc64/lparcfg</c> is the kernel's compatibility link to it.</summary>
    public const string Lparcfg = "/proc/powerpc/lparcfg";

    /// <summary>Linux's partition-migration interface (pseries <c>mobility.c</c>).</summary>
    public const string MigrationApiVersion = "/sys/kernel/mobility/api_version";

    public const string Migration = "/sys/kernel/mobility/migration";

    /// <summary>The VASI stream of a migration the HMC started, as drmgr writes it (<c>0x%llx\n</c>); the write returns when it ends.</summary>
    public static KernelWrite MigrationStream(ulong streamId) => Text(Migration, string.Create(CultureInfo.InvariantCulture, $"0x{streamId:x}\n"));

    /// <summary>Partition hibernation: the stream id goes to this file, as for a migration.</summary>
    public const string Hibernation = "/sys/devices/system/power/hibernate";

    public static KernelWrite HibernationStream(ulong streamId) => Text(Hibernation, string.Create(CultureInfo.InvariantCulture, $"0x{streamId:x}\n"));

    /// <summary>The directory of an NX accelerator type's capabilities (pseries <c>vas-sysfs.c</c>).</summary>
    public const string Accelerators = "/sys/devices/virtual/misc/vas/vas0";

    public static KernelWrite DlparRequest(string request) => Text(Dlpar, request);

    /// <summary>An accelerator type's new total of QoS credits, as drmgr <c>-c acc</c> writes it (decimal, no newline).</summary>
    public static KernelWrite AcceleratorCredits(string type, int credits) =>
        Text(AcceleratorFile(type, "update_total_credits"), credits.ToString(CultureInfo.InvariantCulture));

    /// <summary>A file of an accelerator type's QoS capabilities.</summary>
    public static string AcceleratorFile(string type, string file) => $"{Accelerators}/{type}/qos_capabilities/{file}";

    public static KernelWrite OfdtCommand(OfdtCommand command) => new(Ofdt, OfdtCodec.Encode(command));

    public static KernelWrite CpuOnline(int number, bool online) =>
        Text(string.Create(CultureInfo.InvariantCulture, $"/sys/devices/system/cpu/cpu{number}/online"), online ? "1" : "0");

    public static KernelWrite ProbeCpu(uint drcIndex) => Text(CpuProbe, string.Create(CultureInfo.InvariantCulture, $"0x{drcIndex:x}"));

    public static KernelWrite ReleaseCpu(string path) => Text(CpuRelease, path);

    /// <summary>One <c>key=value\n</c> line, as lparcfg takes it.</summary>
    public static KernelWrite LparcfgLine(string line) => Text(Lparcfg, line);

    public static KernelWrite ProbeMemory(ulong address) => Text(MemoryProbe, string.Create(CultureInfo.InvariantCulture, $"0x{address:x}"));

    public static KernelWrite MemoryBlockState(int number, bool online) =>
        Text(string.Create(CultureInfo.InvariantCulture, $"/sys/devices/system/memory/memory{number}/state"), online ? "online" : "offline");

    public static KernelWrite AddDlparSlot(string drcName) => Text(AddSlot, drcName);

    public static KernelWrite RemoveDlparSlot(string drcName) => Text(RemoveSlot, drcName);

    public static KernelWrite SlotPower(string slotName, bool powered) => Text($"/sys/bus/pci/slots/{slotName}/power", powered ? "1" : "0");

    public static KernelWrite RescanPci() => Text(PciRescan, "1");

    /// <summary>The device is named by its devspec here; the Linux backend resolves the sysfs device.</summary>
    public static KernelWrite RemovePciDevice(string sysfsDevice) => Text($"/sys/bus/pci/devices/{sysfsDevice}/remove", "1");

    private static KernelWrite Text(string path, string content) => new(path, Encoding.ASCII.GetBytes(content));
}
