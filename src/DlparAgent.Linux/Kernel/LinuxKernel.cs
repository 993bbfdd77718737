using System.Globalization;
using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Kernel;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Kernel;

/// <summary>
/// <see cref="IGuestKernel"/> over a running Linux kernel's files below a root directory:
/// <c>/proc/device-tree</c>, <c>/proc/powerpc/ofdt</c>, <c>/sys/kernel/dlpar</c>, the CPU and
/// memory-block directories, the PCI bus and slot files. The map from device-tree paths to
/// sysfs devices is built once and rebuilt only after a write that changes devices.
/// </summary>
public sealed class LinuxKernel : IGuestKernel
{
    private const string CpuDirectory = "/sys/devices/system/cpu";
    private const string MemoryDirectory = "/sys/devices/system/memory";
    private const string PciDevicesDirectory = "/sys/bus/pci/devices";
    private const string SlotsDirectory = "/sys/bus/pci/slots";

    private readonly KernelFiles _files;
    private readonly LinuxKernelOptions _options;
    private readonly Lock _cacheLock = new();
    private Dictionary<string, string>? _pciByDevspec;
    private int? _pageSize;

    public LinuxKernel(LinuxPaths paths, ILinuxNative native, LinuxKernelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(native);
        _files = new KernelFiles(paths, native);
        _options = options ?? new LinuxKernelOptions();
        Lockdown = Lockdown.Read(_files);
    }

    public Lockdown Lockdown { get; }

    public KernelFiles Files => _files;

    public KernelDlparCapabilities ReadDlparCapabilities()
    {
        KernelDlparCapabilities offered = !_files.Exists(KernelWrites.Dlpar)
            ? KernelDlparCapabilities.None
            : KernelDlparCapabilities.FromContent(_files.ReadText(KernelWrites.Dlpar));
        return _options.KernelDlpar is { } allowed ? offered.Limit(allowed) : offered;
    }

    public DtNode ReadDeviceTree() => ProcDeviceTree.Read(_files.Native, _files.Paths.DeviceTree);

    /// <summary>
    /// The kernel's page size (64 KiB on Debian's and most ppc64le kernels, not 4 KiB), from the
    /// reading process's <c>KernelPageSize</c>; null when the kernel does not say (then the kernel decides).
    /// </summary>
    public int? KernelPageSize()
    {
        if (_pageSize is null && _files.ReadText("/proc/self/smaps") is { } smaps)
        {
            string? line = smaps.Split('\n').FirstOrDefault(l => l.StartsWith("KernelPageSize:", StringComparison.Ordinal));
            string[] words = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            _pageSize = words is [_, var size, "kB"] && int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out int kilobytes)
                ? kilobytes * 1024 : null;
        }

        return _pageSize;
    }

    public void WriteDlpar(string request) => _files.Write(KernelWrites.DlparRequest(request));

    public void WriteOfdt(OfdtCommand command)
    {
        if (Lockdown.Active)
        {
            throw new KernelException(Errno.EPERM,
                $"kernel lockdown ({Lockdown.Mode}) forbids writes to {KernelWrites.Ofdt}; the kernel's 'dt' DLPAR (Linux 6.12 and later) is needed for I/O");
        }

        if (!_files.Exists(KernelWrites.Ofdt))
        {
            throw new KernelException(Errno.ENOENT, $"{KernelWrites.Ofdt} does not exist");
        }

        KernelWrite write = KernelWrites.OfdtCommand(command);
        if (KernelPageSize() is { } page && write.Content.Length > page)
        {
            // Newer kernels refuse writes larger than a page; older ones took them.
            throw new KernelException(Errno.EINVAL, $"{KernelWrites.Ofdt}: a {write.Content.Length}-byte command exceeds a page ({page} bytes)");
        }

        _files.Write(write);
    }

    public IReadOnlyList<CpuThread> ReadCpuThreads()
    {
        // Every possible CPU has a directory (pseries: physical_id 0, offline); only the present ones are threads of a core.
        IReadOnlySet<int>? present = _files.ReadText($"{CpuDirectory}/present") is { } list ? CpuList.Parse(list) : null;
        var threads = new List<CpuThread>();
        foreach (string entry in _files.List(CpuDirectory))
        {
            if (Numbered(entry, "cpu") is not { } number || (present is not null && !present.Contains(number)))
            {
                continue;
            }

            string directory = $"{CpuDirectory}/{entry}";
            uint physical = uint.TryParse(_files.ReadText($"{directory}/physical_id"), NumberStyles.None, CultureInfo.InvariantCulture,
                out uint id) ? id : (uint)number;

            // A CPU without an online file (often cpu0) cannot be taken offline: it is online.
            bool online = _files.ReadText($"{directory}/online") is not { } state || state == "1";
            threads.Add(new CpuThread(number, physical, online));
        }

        return [.. threads.OrderBy(t => t.Number)];
    }

    public void SetCpuOnline(int number, bool online) => _files.Write(KernelWrites.CpuOnline(number, online));

    public bool HasCpuProbe() => _files.Exists(KernelWrites.CpuProbe);

    public bool HasHibernation() => _files.Exists("/sys/devices/system/power/hibernate");

    public void WriteLparcfg(string line) => _files.Write(KernelWrites.LparcfgLine(line));

    public IReadOnlyDictionary<string, string>? ReadLparcfg() => _files.ReadText(KernelWrites.Lparcfg) is { } text ? Lparcfg.Parse(text) : null;

    public int? ReadMigrationApiVersion() =>
        int.TryParse(_files.ReadText(KernelWrites.MigrationApiVersion), NumberStyles.None, CultureInfo.InvariantCulture, out int version) ? version : null;

    public void WriteMigration(ulong streamId) => _files.Write(KernelWrites.MigrationStream(streamId));

    public void WriteHibernation(ulong streamId) => _files.Write(KernelWrites.HibernationStream(streamId));

    public AcceleratorCredits? ReadAcceleratorCredits(string type) =>
        int.TryParse(_files.ReadText(KernelWrites.AcceleratorFile(type, "nr_total_credits")), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture,
            out int total)
            ? new AcceleratorCredits(total, int.TryParse(_files.ReadText(KernelWrites.AcceleratorFile(type, "nr_used_credits")), NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out int used) ? used : 0)
            : null;

    public void WriteAcceleratorCredits(string type, int credits) => _files.Write(KernelWrites.AcceleratorCredits(type, credits));

    public void ProbeCpu(uint drcIndex) => _files.Write(KernelWrites.ProbeCpu(drcIndex));

    public void ReleaseCpu(string path) => _files.Write(KernelWrites.ReleaseCpu(path));

    public ulong ReadMemoryBlockSize() =>
        ulong.TryParse(_files.ReadText($"{MemoryDirectory}/block_size_bytes"), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture,
            out ulong size) ? size : 0;

    public IReadOnlyList<MemoryBlock> ReadMemoryBlocks()
    {
        var blocks = new List<MemoryBlock>();
        foreach (string entry in _files.List(MemoryDirectory))
        {
            if (Numbered(entry, "memory") is not { } number)
            {
                continue;
            }

            string directory = $"{MemoryDirectory}/{entry}";
            bool online = _files.ReadText($"{directory}/state") == "online";

            // Kernels since 5.x may lack 'removable' (it always said 1 there).
            bool removable = _files.ReadText($"{directory}/removable") is not { } value || value == "1";
            blocks.Add(new MemoryBlock(number, online, removable));
        }

        return [.. blocks.OrderBy(b => b.Number)];
    }

    public bool HasMemoryProbe() => _files.Exists(KernelWrites.MemoryProbe);

    public void ProbeMemory(ulong address) => _files.Write(KernelWrites.ProbeMemory(address));

    public void SetMemoryBlockOnline(int number, bool online) => _files.Write(KernelWrites.MemoryBlockState(number, online));

    /// <summary>
    /// Connectors whose device-tree node the kernel has made a device of: PHBs with a host
    /// bridge, virtual I/O adapters, logical and PCI slots with an rpaphp slot.
    /// </summary>
    public IReadOnlyCollection<string> ReadDlparSlots()
    {
        HashSet<string> names = [.. ReadHotplugSlots().Select(s => s.Name)];
        HashSet<string> devices = [.. HostBridgeNodes(), .. VioNodes(), .. PciByDevspec.Keys];
        DtNode tree = ReadDeviceTree();
        var catalog = DrcCatalog.FromTree(tree);
        foreach (string path in devices)
        {
            if (tree.Find(path)?.GetUInt32("ibm,my-drc-index") is { } index && catalog.TryGetByIndex(index, out DrcConnector connector, out _))
            {
                names.Add(connector.Name);
            }
        }

        return names;
    }

    public void AddSlot(string drcName) => SlotControl("add_slot", drcName);

    public void RemoveSlot(string drcName) => SlotControl("remove_slot", drcName);

    public IReadOnlyList<HotplugSlot> ReadHotplugSlots() =>
        [.. _files.List(SlotsDirectory).Where(n => n != "control").Select(name => ReadSlot(name, _files.ReadText($"{SlotsDirectory}/{name}/power")))];

    public HotplugSlot? ReadHotplugSlot(string name) =>
        name.Contains('/', StringComparison.Ordinal) || name is "." or ".." or "control"
            ? null
            : _files.ReadText($"{SlotsDirectory}/{name}/power") is { } power ? ReadSlot(name, power) : null;

    private HotplugSlot ReadSlot(string name, string? power) =>
        new(name, power == "1",
            int.TryParse(_files.ReadText($"{SlotsDirectory}/{name}/adapter"), NumberStyles.None, CultureInfo.InvariantCulture, out int adapter) ? adapter : 0);

    public void SetSlotPower(string name, bool powered)
    {
        Invalidate();
        _files.Write(KernelWrites.SlotPower(name, powered));
    }

    /// <summary>The cached map, never changed once built (a change of the kernel's devices replaces it).</summary>
    public IReadOnlyDictionary<string, string> ReadPciDevices() => PciByDevspec;

    public void RescanPci()
    {
        Invalidate();
        _files.Write(KernelWrites.RescanPci());
    }

    public void RemovePciDevice(string devspec)
    {
        string device = PciByDevspec.GetValueOrDefault(devspec)
            ?? throw new KernelException(Errno.ENODEV, $"no PCI device for {devspec}");
        Invalidate();
        _files.Write(KernelWrites.RemovePciDevice(device));
    }

    /// <summary><c>/proc/powerpc/lparcfg</c> as key-value pairs (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> ReadLparConfiguration()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in (_files.ReadText("/proc/powerpc/lparcfg") ?? string.Empty).Split('\n'))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[line[..equals].Trim()] = line[(equals + 1)..].Trim();
            }
        }

        return values;
    }

    /// <summary>devspec → PCI device name (<c>0000:00:01.0</c>), read once until a write changes the devices.</summary>
    private Dictionary<string, string> PciByDevspec
    {
        get
        {
            lock (_cacheLock)
            {
                if (_pciByDevspec is null)
                {
                    _pciByDevspec = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (string device in _files.List(PciDevicesDirectory))
                    {
                        if (_files.ReadText($"{PciDevicesDirectory}/{device}/devspec") is { Length: > 0 } devspec)
                        {
                            _pciByDevspec.TryAdd(devspec, device);
                        }
                    }
                }

                return _pciByDevspec;
            }
        }
    }

    private void Invalidate()
    {
        lock (_cacheLock)
        {
            _pciByDevspec = null;
        }
    }

    private IEnumerable<string> HostBridgeNodes()
    {
        // /sys/devices/pciDDDD:BB/of_node -> …/devicetree/base/<path>
        foreach (string entry in _files.List("/sys/devices").Where(e => e.StartsWith("pci", StringComparison.Ordinal)))
        {
            if (_files.LinkTarget($"/sys/devices/{entry}/of_node") is { } target && target.IndexOf("/devicetree/base",
                StringComparison.Ordinal) is var at and >= 0)
            {
                string path = target[(at + "/devicetree/base".Length)..];
                yield return path.Length == 0 ? "/" : path;
            }
        }
    }

    private IEnumerable<string> VioNodes() =>
        _files.List("/sys/bus/vio/devices").Select(d => _files.ReadText($"/sys/bus/vio/devices/{d}/devspec")).OfType<string>().Where(d => d.Length > 0);

    private void SlotControl(string file, string drcName)
    {
        if (drcName.Length >= 64)
        {
            // rpadlpar takes longer names as a 0-byte write, which a writer would retry forever.
            throw new KernelException(Errno.EINVAL, $"{drcName}: DRC names of 64 bytes or more cannot be written to {file}");
        }

        // Some kernels named the files with literal quotes; drmgr tries both.
        string path = $"{SlotsDirectory}/control/{file}";
        if (!_files.Exists(path) && _files.Exists($"{SlotsDirectory}/control/\"{file}\""))
        {
            path = $"{SlotsDirectory}/control/\"{file}\"";
        }

        if (!_files.Exists(path))
        {
            throw new KernelException(Errno.ENOENT, $"{path} does not exist (load the rpadlpar_io module)");
        }

        Invalidate();
        DateTimeOffset deadline = _options.Clock.GetUtcNow() + _options.BusyTimeout;
        while (true)
        {
            try
            {
                _files.Write(new KernelWrite(path, System.Text.Encoding.ASCII.GetBytes(drcName)));
                return;
            }
            catch (KernelException error) when (error.Errno == Errno.EBUSY && _options.Clock.GetUtcNow() < deadline)
            {
                _options.Sleep(_options.BusyRetryInterval);
            }
        }
    }

    private static int? Numbered(string entry, string prefix) =>
        entry.StartsWith(prefix, StringComparison.Ordinal) && entry.Length > prefix.Length && entry[prefix.Length..].All(char.IsAsciiDigit)
        && int.TryParse(entry[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number : null;
}
