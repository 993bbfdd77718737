using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Formats.Ofdt;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Kernel;
using DlparAgent.Linux.Rtas;
using DlparAgent.Linux.Tests.Support;

namespace DlparAgent.Linux.Tests;

/// <summary>LinuxKernel over a root made from the emulated kernel: what it reads matches, and every write's path and bytes are exact.</summary>
public sealed class LinuxKernelTests : IDisposable
{
    private readonly EmulatedPartition _partition;
    private readonly FakeRoot _root;
    private readonly FakeNative _native;

    public LinuxKernelTests()
    {
        _partition = EmulatedPartition.Create(new MachineProfile { BootCpus = 2, MaxCpus = 8, Threads = 2, Memory = 2 * MachineProfile.GiB,
            MaxMemory = 8 * MachineProfile.GiB }, KernelFeatures.Modern);
        _partition.Platform.Management.PlugPci(0, 3, 0, null, null, DeviceOrigin.Hotplug);
        _partition.Kernel.TakeInterrupts();
        _root = new FakeRoot(_partition);
        _native = new FakeNative(_partition.Platform, _root);
    }

    public void Dispose()
    {
        _native.Dispose();
        _root.Dispose();
    }

    private LinuxKernel Kernel(LinuxKernelOptions? options = null) => new(_root.Paths, _native, options);

    [Fact]
    public void The_device_tree_reads_back_as_the_kernel_has_it()
    {
        DtNode read = Kernel().ReadDeviceTree();

        Assert.Equal(Canonical(_partition.Kernel.ReadDeviceTree()), Canonical(read));
    }

    [Fact]
    public void Cpus_memory_blocks_slots_and_capabilities_read_as_sysfs_shows_them()
    {
        LinuxKernel kernel = Kernel();

        Assert.Equal(_partition.Kernel.ReadCpuThreads(), kernel.ReadCpuThreads());
        Assert.Equal(_partition.Kernel.ReadMemoryBlocks(), kernel.ReadMemoryBlocks());
        Assert.Equal(_partition.Kernel.ReadMemoryBlockSize(), kernel.ReadMemoryBlockSize());
        Assert.Equal(new KernelDlparCapabilities(true, true, true, true), kernel.ReadDlparCapabilities());
        Assert.Equal(_partition.Kernel.ReadPciDevices().OrderBy(d => d.Key, StringComparer.Ordinal),
            kernel.ReadPciDevices().OrderBy(d => d.Key, StringComparer.Ordinal));
        Assert.False(kernel.HasCpuProbe());
        Assert.False(kernel.Lockdown.Active);
    }

    [Theory]
    [InlineData(null, false, false, false, false)]
    [InlineData("", true, false, false, false)]
    [InlineData("memory,cpu\n", true, true, true, false)]
    [InlineData("memory,cpu,dt\n", true, true, true, true)]
    public void Kernel_dlpar_capabilities_follow_drmgrs_rules(string? content, bool present, bool memory, bool cpu, bool dt)
    {
        if (content is null)
        {
            File.Delete(_root.Resolve("/sys/kernel/dlpar"));
        }
        else
        {
            _root.Write("/sys/kernel/dlpar", content);
        }

        KernelDlparCapabilities capabilities = Kernel().ReadDlparCapabilities();

        Assert.Equal((present, cpu, dt), (capabilities.Present, capabilities.Cpu, capabilities.DeviceTree));
        Assert.Equal(memory, capabilities.Memory);
    }

    [Fact]
    public void One_hotplug_slot_is_read_alone_and_names_that_are_not_slots_are_none()
    {
        LinuxKernel kernel = Kernel();
        HotplugSlot expected = Assert.Single(kernel.ReadHotplugSlots(), s => s.Name == "C24");

        Assert.Equal(expected, kernel.ReadHotplugSlot("C24"));
        Assert.Null(kernel.ReadHotplugSlot("C9999"));
        Assert.Null(kernel.ReadHotplugSlot("control"));
        Assert.Null(kernel.ReadHotplugSlot("../C24"));
    }

    [Theory]
    [InlineData("", false, true)]
    [InlineData("cpu", false, true)]
    [InlineData("memory,cpu", true, false)]
    public void Withholding_memory_dlpar_the_kernel_offers_is_remembered(string allowed, bool memory, bool withheld)
    {
        _root.Write("/sys/kernel/dlpar", "memory,cpu\n");

        KernelDlparCapabilities capabilities = Kernel(new LinuxKernelOptions { KernelDlpar = allowed }).ReadDlparCapabilities();

        Assert.Equal((memory, withheld), (capabilities.Memory, capabilities.MemoryWithheld));
    }

    [Theory]
    [InlineData("memory add count 1")]
    [InlineData("memory remove count 1")]
    public void Memory_behind_a_kernel_that_keeps_its_own_lmb_table_is_refused_before_anything_is_written(string request)
    {
        _root.Write("/sys/kernel/dlpar", "memory,cpu\n");
        using var rtas = new SysRtas(_root.Paths, _native);
        var engine = new DlparEngine(rtas, Kernel(new LinuxKernelOptions { KernelDlpar = "cpu" }), new MemoryJournal(),
            new EngineOptions { Sleep = _ => { } });
        _native.Writes.Clear();

        var refused = Assert.Throws<DlparException>(() => engine.Execute(RequestGrammar.Parse(request).Request));

        Assert.Contains("keeps its own LMB table", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_native.Writes);
        Assert.DoesNotContain(_native.Calls, c => c.Service != RtasServices.GetSensorState);
    }

    public static TheoryData<string, string, byte[]> Writes => new()
    {
        { "dlpar", "/sys/kernel/dlpar", "memory add count 2"u8.ToArray() },
        { "cpu-online", "/sys/devices/system/cpu/cpu3/online", "1"u8.ToArray() },
        { "cpu-offline", "/sys/devices/system/cpu/cpu1/online", "0"u8.ToArray() },
        { "memory-offline", "/sys/devices/system/memory/memory9/state", "offline"u8.ToArray() },
        { "memory-probe", "/sys/devices/system/memory/probe", "0x90000000"u8.ToArray() },
        { "cpu-probe", "/sys/devices/system/cpu/probe", "0x10000002"u8.ToArray() },
        { "cpu-release", "/sys/devices/system/cpu/release", "/cpus/PowerPC,POWER9@2"u8.ToArray() },
        { "add-slot", "/sys/bus/pci/slots/control/add_slot", "PHB 1"u8.ToArray() },
        { "remove-slot", "/sys/bus/pci/slots/control/remove_slot", "U8233.E8B.1000C9P-V1-C3"u8.ToArray() },
        { "slot-power", "/sys/bus/pci/slots/C3/power", "0"u8.ToArray() },
        { "rescan", "/sys/bus/pci/rescan", "1"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public void Each_write_is_one_write_of_the_exact_bytes(string operation, string path, byte[] bytes)
    {
        LinuxKernel kernel = Kernel();
        foreach (string file in (string[])["/sys/devices/system/memory/probe", "/sys/devices/system/cpu/probe", "/sys/devices/system/cpu/release",
            "/sys/bus/pci/slots/C3/power", "/sys/devices/system/memory/memory9/state", "/sys/devices/system/cpu/cpu3/online",
            "/sys/devices/system/cpu/cpu1/online"])
        {
            _root.Write(file, string.Empty);
        }

        Action write = operation switch
        {
            "dlpar" => () => kernel.WriteDlpar("memory add count 2"),
            "cpu-online" => () => kernel.SetCpuOnline(3, true),
            "cpu-offline" => () => kernel.SetCpuOnline(1, false),
            "memory-offline" => () => kernel.SetMemoryBlockOnline(9, false),
            "memory-probe" => () => kernel.ProbeMemory(0x90000000),
            "cpu-probe" => () => kernel.ProbeCpu(0x10000002),
            "cpu-release" => () => kernel.ReleaseCpu("/cpus/PowerPC,POWER9@2"),
            "add-slot" => () => kernel.AddSlot("PHB 1"),
            "remove-slot" => () => kernel.RemoveSlot("U8233.E8B.1000C9P-V1-C3"),
            "slot-power" => () => kernel.SetSlotPower("C3", false),
            _ => kernel.RescanPci,
        };
        write();

        (string writtenPath, byte[] written) = Assert.Single(_native.Writes);
        Assert.Equal(path, writtenPath);
        Assert.Equal(bytes, written);
        Assert.Equal(bytes, File.ReadAllBytes(_root.Resolve(path)));
    }

    [Fact]
    public void An_ofdt_command_is_written_whole_in_one_write_with_its_nul()
    {
        var command = new OfdtCommand.AddNode("/cpus/PowerPC,POWER9@2", [new OfdtProperty("ibm,my-drc-index", new byte[] { 0x10, 0, 0, 2 }),
            new OfdtProperty("name", "PowerPC,POWER9\0"u8.ToArray())]);

        Kernel().WriteOfdt(command);

        (string path, byte[] bytes) = Assert.Single(_native.Writes);
        Assert.Equal("/proc/powerpc/ofdt", path);
        Assert.Equal(OfdtCodec.Encode(command), bytes);
        Assert.Equal(0, bytes[^1]);
        Assert.Equal(command, OfdtCodec.Decode(bytes));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("4 kB", false)]
    [InlineData("64 kB", true)]
    public void An_ofdt_command_larger_than_4_KiB_is_refused_only_by_a_kernel_of_4_KiB_pages(string? pageSize, bool written)
    {
        // A PHB's add_node is about 9 KB; Debian's ppc64le kernel has 64 KiB pages and took it.
        if (pageSize is not null)
        {
            _root.Write("/proc/self/smaps", $"00010000-00020000 r-xp 00000000 00:00 0\nKernelPageSize:     {pageSize}\nMMUPageSize:     {pageSize}\n");
        }

        var command = new OfdtCommand.AddNode("/pci@800000020000002", [new OfdtProperty("ibm,opaque", new byte[9000])]);

        if (written)
        {
            Kernel().WriteOfdt(command);
            Assert.Single(_native.Writes);
        }
        else
        {
            var error = Assert.Throws<KernelException>(() => Kernel().WriteOfdt(command));
            Assert.Contains("exceeds a page (4096 bytes)", error.Message, StringComparison.Ordinal);
            Assert.Empty(_native.Writes);
        }
    }

    [Theory]
    [InlineData(22, Errno.EINVAL)]
    [InlineData(16, Errno.EBUSY)]
    [InlineData(19, Errno.ENODEV)]
    [InlineData(1, Errno.EPERM)]
    public void A_refused_write_raises_the_errno(int errno, Errno expected)
    {
        _native.WriteErrno = path => path == "/sys/kernel/dlpar" ? errno : null;

        var error = Assert.Throws<KernelException>(() => Kernel().WriteDlpar("cpu add index 0x10000002"));

        Assert.Equal(expected, error.Errno);
        Assert.Contains("/sys/kernel/dlpar <- \"cpu add index 0x10000002\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_ENOENT_and_a_directory_EISDIR()
    {
        Assert.Equal(Errno.ENOENT, Assert.Throws<KernelException>(() => Kernel().SetCpuOnline(7, true)).Errno);

        Directory.CreateDirectory(_root.Resolve("/sys/devices/system/cpu/cpu7/online"));
        Assert.Equal(Errno.EISDIR, Assert.Throws<KernelException>(() => Kernel().SetCpuOnline(7, true)).Errno);
    }

    [Fact]
    public void Slot_operations_retry_EBUSY_until_the_timeout()
    {
        int busy = 3;
        _native.WriteErrno = path => path.EndsWith("add_slot", StringComparison.Ordinal) && busy-- > 0 ? 16 : null;
        var slept = new List<TimeSpan>();

        Kernel(new LinuxKernelOptions { Sleep = slept.Add }).AddSlot("PHB 1");

        Assert.Equal(4, _native.Writes.Count);
        Assert.Equal(3, slept.Count);

        var clock = new SteppingClock();
        _native.WriteErrno = path => path.EndsWith("remove_slot", StringComparison.Ordinal) ? 16 : null;
        var error = Assert.Throws<KernelException>(() => Kernel(new LinuxKernelOptions { Sleep = clock.Advance, Clock = clock,
            BusyTimeout = TimeSpan.FromSeconds(5) }).RemoveSlot("PHB 1"));
        Assert.Equal(Errno.EBUSY, error.Errno);
        Assert.Equal(TimeSpan.FromSeconds(5), clock.Elapsed);
    }

    [Fact]
    public void Quoted_slot_control_files_are_used_when_the_plain_ones_are_missing()
    {
        File.Move(_root.Resolve("/sys/bus/pci/slots/control/add_slot"), _root.Resolve("/sys/bus/pci/slots/control/\"add_slot\""));

        Kernel().AddSlot("PHB 1");

        Assert.Equal("/sys/bus/pci/slots/control/\"add_slot\"", Assert.Single(_native.Writes).Path);
    }

    [Fact]
    public void Names_of_64_bytes_or_more_are_refused_before_the_kernel_drops_them()
    {
        Assert.Equal(Errno.EINVAL, Assert.Throws<KernelException>(() => Kernel().AddSlot(new string('X', 64))).Errno);
        Assert.Empty(_native.Writes);
    }

    [Fact]
    public void A_pci_device_is_removed_through_the_sysfs_device_its_devspec_names()
    {
        _root.Write("/sys/bus/pci/devices/0000:00:05.0/devspec", "/pci@800000020000000/ethernet@5\n");
        _root.Write("/sys/bus/pci/devices/0000:00:05.0/remove", string.Empty);
        LinuxKernel kernel = Kernel();
        Assert.Equal("/pci@800000020000000/ethernet@5", Assert.Single(kernel.ReadPciDevices()).Key);

        kernel.RemovePciDevice("/pci@800000020000000/ethernet@5");

        Assert.Equal("/sys/bus/pci/devices/0000:00:05.0/remove", Assert.Single(_native.Writes).Path);
        Assert.Equal(Errno.ENODEV, Assert.Throws<KernelException>(() => kernel.RemovePciDevice("/pci@800000020000000/nothing@9")).Errno);
    }

    [Theory]
    [InlineData("none [integrity] confidentiality", true)]
    [InlineData("[none] integrity confidentiality", false)]
    public void Lockdown_closes_ofdt_with_a_precise_message(string lockdown, bool locked)
    {
        _root.Write("/sys/kernel/security/lockdown", lockdown + "\n");
        LinuxKernel kernel = Kernel();
        var command = new OfdtCommand.RemoveNode("/cpus/PowerPC,POWER9@2");

        Assert.Equal(locked, kernel.Lockdown.Active);
        if (locked)
        {
            var error = Assert.Throws<KernelException>(() => kernel.WriteOfdt(command));
            Assert.Equal(Errno.EPERM, error.Errno);
            Assert.Contains("lockdown (integrity)", error.Message, StringComparison.Ordinal);
            Assert.Empty(_native.Writes);
        }
        else
        {
            kernel.WriteOfdt(command);
            Assert.Single(_native.Writes);
        }
    }

    [Fact]
    public void Lparcfg_is_read_as_key_value_pairs()
    {
        _root.Write("/proc/powerpc/lparcfg", "lparcfg 1.9\nserial_number=IBM,0210000C9P\nshared_processor_mode=1\n");

        IReadOnlyDictionary<string, string> values = Kernel().ReadLparConfiguration();

        Assert.Equal("1", values["shared_processor_mode"]);
        Assert.Equal("IBM,0210000C9P", values["serial_number"]);
    }

    [Fact]
    public void Accelerator_credits_are_read_from_the_qos_capabilities_and_written_as_drmgr_writes_them()
    {
        Assert.Null(Kernel().ReadAcceleratorCredits("gzip"));
        _root.Write("/sys/devices/virtual/misc/vas/vas0/gzip/qos_capabilities/nr_total_credits", "40\n");
        _root.Write("/sys/devices/virtual/misc/vas/vas0/gzip/qos_capabilities/nr_used_credits", "12\n");
        _root.Write("/sys/devices/virtual/misc/vas/vas0/gzip/qos_capabilities/update_total_credits", string.Empty);

        Assert.Equal(new AcceleratorCredits(40, 12), Kernel().ReadAcceleratorCredits("gzip"));
        Kernel().WriteAcceleratorCredits("gzip", 64);

        Assert.Equal("64", File.ReadAllText(_root.Resolve("/sys/devices/virtual/misc/vas/vas0/gzip/qos_capabilities/update_total_credits")));
    }

    [Fact]
    public void The_migration_interface_is_read_and_the_stream_written_as_drmgr_writes_it()
    {
        Assert.Null(Kernel().ReadMigrationApiVersion());
        _root.Write("/sys/kernel/mobility/api_version", "1\n");
        _root.Write("/sys/kernel/mobility/migration", string.Empty);

        Assert.Equal(1, Kernel().ReadMigrationApiVersion());
        Kernel().WriteMigration(0x4d4947000001);

        Assert.Equal("0x4d4947000001\n", File.ReadAllText(_root.Resolve("/sys/kernel/mobility/migration")));

        _root.Write("/sys/devices/system/power/hibernate", string.Empty);
        Kernel().WriteHibernation(0x2a);
        Assert.Equal("0x2a\n", File.ReadAllText(_root.Resolve("/sys/devices/system/power/hibernate")));
    }

    /// <summary>One line per property in path order: comparable whatever order the nodes were read in.</summary>
    private static string Canonical(DtNode root)
    {
        var lines = new List<string>();
        foreach (DtNode node in root.DescendantsAndSelf())
        {
            lines.AddRange(node.Properties.Select(p => $"{p.Path}={Convert.ToHexString(p.Value)}"));
            lines.Add(node.Path + "/");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private sealed class SteppingClock : TimeProvider
    {
        private readonly DateTimeOffset _start = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

        public TimeSpan Elapsed { get; private set; }

        public override DateTimeOffset GetUtcNow() => _start + Elapsed;

        public void Advance(TimeSpan by) => Elapsed += by;
    }
}
