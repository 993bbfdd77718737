using System.Runtime.InteropServices;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Kernel;
using DlparAgent.Linux.Rtas;

namespace DlparAgent.Linux.Diagnostics;

/// <summary>
/// Looks at the real environment (below the root) and says what will and will not work:
/// privileges, RTAS and its tokens, the RMO region and <c>/dev/mem</c>, lockdown, the kernel's
/// DLPAR interfaces, rpadlpar and rpaphp, the PAPR devices, the error log and a competing rtas_errd.
/// Only reads; it makes no firmware call.
/// </summary>
public sealed class Doctor(LinuxPaths paths, ILinuxNative native)
{
    private static readonly string[] DlparServices = [RtasServices.GetSensorState, RtasServices.SetIndicator, RtasServices.ConfigureConnector,
        RtasServices.GetPowerLevel, RtasServices.SetPowerLevel];

    public DoctorReport Examine()
    {
        var checks = new List<DoctorCheck>();
        var files = new KernelFiles(paths, native);
        void Add(string name, CheckStatus status, string detail) => checks.Add(new DoctorCheck(name, status, detail));

        bool ppc64 = RuntimeInformation.ProcessArchitecture == Architecture.Ppc64le || native.Abi.RtasSyscall is not null;
        Add("architecture", ppc64 ? CheckStatus.Ok : CheckStatus.Problem,
            ppc64 ? native.Abi.Name : $"{native.Abi.Name}: no rtas system call; only the emulated platform can run here");
        Add("root", native.IsRoot ? CheckStatus.Ok : CheckStatus.Problem,
            native.IsRoot ? "running as root" : "the rtas system call, /dev/mem and the kernel's DLPAR files need root");

        bool rtas = native.DirectoryExists(paths.RtasNode);
        var tokens = new RtasTokenTable(paths, native);
        string[] missing = rtas ? [.. DlparServices.Where(s => tokens.Find(s) is null)] : DlparServices;
        Add("rtas", !rtas ? CheckStatus.Problem : missing.Length == 0 ? CheckStatus.Ok : CheckStatus.Warning,
            !rtas ? $"{paths.RtasNode} is missing: not a pseries partition" : missing.Length == 0 ? "every DLPAR service has a token" : "no token for " +
                "" + string.Join(", ", missing));

        Lockdown lockdown = Lockdown.Read(files);
        Add("lockdown", lockdown.Active ? CheckStatus.Warning : CheckStatus.Ok,
            lockdown.Active ? $"{lockdown.Mode}: /dev/mem and /proc/powerpc/ofdt are closed; I/O DLPAR needs the kernel's 'dt' interface" : "none");

        bool rmo = RmoUsable(out string rmoDetail);
        Add("rmo-buffer", rmo ? CheckStatus.Ok : CheckStatus.Warning, rmoDetail);
        bool devMem = DevMemOpens(out string devMemDetail);
        Add("dev-mem", devMem ? CheckStatus.Ok : CheckStatus.Warning, devMemDetail);

        KernelDlparCapabilities dlpar = files.Exists(KernelWrites.Dlpar)
            ? KernelDlparCapabilities.FromContent(files.ReadText(KernelWrites.Dlpar)) : KernelDlparCapabilities.None;
        Add("kernel-dlpar", dlpar.Present ? CheckStatus.Ok : CheckStatus.Warning,
            dlpar.Present ? $"/sys/kernel/dlpar offers {(dlpar.Content.Length == 0 ? "nothing" : dlpar.Content)}" : "/sys/kernel/dlpar is missing: the " +
                "agent does CPU and memory DLPAR itself");
        bool ofdt = files.Exists(KernelWrites.Ofdt);
        Add("ofdt", ofdt && !lockdown.Active ? CheckStatus.Ok : CheckStatus.Warning,
            ofdt ? (lockdown.Active ? "present but closed by lockdown" : "present") : "/proc/powerpc/ofdt is missing");
        bool rpadlpar = files.Exists("/sys/bus/pci/slots/control/add_slot") || files.Exists("/sys/bus/pci/slots/control/\"add_slot\"");
        Add("rpadlpar", rpadlpar ? CheckStatus.Ok : CheckStatus.Warning,
            rpadlpar ? "slot control files present" : "no /sys/bus/pci/slots/control/add_slot: load rpadlpar_io for PHB and slot DLPAR");
        bool rpaphp = files.DirectoryExists("/sys/module/rpaphp") || files.List("/sys/bus/pci/slots").Any(n => n != "control");
        Add("rpaphp", rpaphp ? CheckStatus.Ok : CheckStatus.Warning, rpaphp ? "loaded" : "not loaded: PCI hotplug slots fall back to a PCI rescan");
        Add("papr-indices", native.FileExists(paths.PaprIndices) ? CheckStatus.Ok : CheckStatus.Warning,
            native.FileExists(paths.PaprIndices) ? "present" : "absent: indices go through the rtas syscall and RMO buffers");
        Add("papr-sysparm", native.FileExists(paths.PaprSysparm) ? CheckStatus.Ok : CheckStatus.Warning,
            native.FileExists(paths.PaprSysparm) ? "present" : "absent: system parameters go through the rtas syscall");
        string? errorLog = paths.FindErrorLog(native);
        Add("error-log", errorLog is null ? CheckStatus.Warning : CheckStatus.Ok, errorLog ?? "no rtasd error log: dlpard has no event source");
        int[] competitors = RtasErrdProcesses.Find(paths, native);
        Add("rtas_errd", competitors.Length == 0 ? CheckStatus.Ok : CheckStatus.Warning,
            competitors.Length == 0 ? "not running" : $"running (pid {string.Join(", ", competitors)}): it consumes the error log, so dlpard would miss " +
                $"events");

        bool firmware = ppc64 && native.IsRoot && rtas;
        bool configureConnector = firmware && !missing.Contains(RtasServices.ConfigureConnector) && rmo && devMem && !lockdown.Active;
        var verdicts = new List<DoctorCheck>
        {
            Verdict("cpu", firmware && (dlpar.Cpu || configureConnector),
                dlpar.Cpu ? "through /sys/kernel/dlpar" : configureConnector ? "in user space (configure-connector, ofdt)" : "needs the kernel's cpu DLPAR " +
                    "or configure-connector"),
            Verdict("memory", firmware && (dlpar.Memory || configureConnector),
                dlpar.Memory ? "through /sys/kernel/dlpar" : configureConnector ? "in user space" : "needs the kernel's memory DLPAR or configure-connector"),
            Verdict("io", firmware && rpadlpar && (dlpar.DeviceTree || (configureConnector && ofdt)),
                dlpar.DeviceTree ? "device tree through 'dt', slots through rpadlpar" : configureConnector && ofdt ? "configure-connector and " +
                    "ofdt" : "needs 'dt' in /sys/kernel/dlpar, or configure-connector and ofdt, and rpadlpar"),
            Verdict("events", errorLog is not null && native.IsRoot && competitors.Length == 0,
                errorLog is null ? "no error log" : competitors.Length > 0 ? "stop rtas_errd first (or run dlpard with its override)" : "dlpard can read " +
                    "the error log"),
        };
        return new DoctorReport(checks, verdicts);
    }

    private static DoctorCheck Verdict(string name, bool works, string detail) => new(name, works ? CheckStatus.Ok : CheckStatus.Problem, detail);

    private bool RmoUsable(out string detail)
    {
        if (paths.FindRmoBuffer(native) is not { } file)
        {
            detail = "no /proc/powerpc/rtas/rmo_buffer: configure-connector and buffer calls are unavailable";
            return false;
        }

        try
        {
            (ulong physicalBase, int size) = RmoRegion.Parse(native.TryReadText(file) ?? string.Empty, file);
            detail = $"0x{size:x} bytes at 0x{physicalBase:x}";
            return true;
        }
        catch (Exception error) when (error is LinuxBackendException or IOException or UnauthorizedAccessException)
        {
            detail = error.Message;
            return false;
        }
    }

    private bool DevMemOpens(out string detail)
    {
        try
        {
            using SafeFileDescriptor fd = native.Open(paths.DevMem, OpenMode.ReadWrite);
            detail = "opens for reading and writing";
            return true;
        }
        catch (NativeCallException error)
        {
            detail = $"{paths.DevMem}: {error.Message}";
            return false;
        }
    }
}
