using System.Buffers.Binary;
using System.Globalization;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Devices;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Rtas;
using DlparAgent.Linux.Tests.Support;

namespace DlparAgent.Linux.Tests;

/// <summary>
/// SysRtas on x86-64: the exact argument blocks and work-area pages it hands the rtas syscall
/// are decoded by a fake kernel and served by the emulated platform, so the whole engine runs
/// over the real backend's marshalling, RMO allocation and librtas locks.
/// </summary>
public sealed class SysRtasTests : IDisposable
{
    private static readonly KernelFeatures Userspace = new(KernelDlparCapabilities.None, CpuProbe: false, MemoryProbe: true);

    private readonly EmulatedPartition _partition;
    private readonly FakeRoot _root;
    private readonly FakeNative _native;

    public SysRtasTests()
    {
        _partition = EmulatedPartition.Create(new MachineProfile { BootCpus = 1, MaxCpus = 8, Memory = 2 * MachineProfile.GiB,
            MaxMemory = 8 * MachineProfile.GiB }, Userspace);
        _partition.Platform.Management.PlugCpu(1, null, DeviceOrigin.Assigned);
        _partition.Platform.Management.PlugMemory(MachineProfile.GiB, 0, null, DeviceOrigin.Assigned);
        _partition.Platform.Management.PlugPci(0, 2, 0, null, null, DeviceOrigin.Assigned);
        _root = new FakeRoot(_partition);
        _native = new FakeNative(_partition.Platform, _root);
    }

    public void Dispose()
    {
        _native.Dispose();
        _root.Dispose();
    }

    [Fact]
    public void A_set_indicator_block_is_big_endian_token_counts_and_arguments()
    {
        using var rtas = new SysRtas(_root.Paths, _native);

        Assert.Equal(RtasStatus.Success, rtas.SetIndicator(DrIndicators.AllocationState, 0x10000001, DrIndicators.Usable));

        RecordedCall call = Assert.Single(_native.Calls);
        byte[] expected = new byte[RtasArgs.Size];
        uint[] words = [EmulatedPlatform.TokenOf(RtasServices.SetIndicator)!.Value, 3, 1, 9003, 0x10000001, 1];
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(expected.AsSpan(4 * i), words[i]);
        }

        Assert.Equal(expected, call.BlockBefore);
        Assert.Equal(expected, call.BlockAfter); // status 0 lands in word 3
    }

    [Fact]
    public void A_sensor_answer_is_read_from_the_output_words()
    {
        using var rtas = new SysRtas(_root.Paths, _native);

        RtasResult sense = rtas.GetSensorState(DrIndicators.EntitySense, 0x10000001);

        Assert.Equal(new RtasResult(RtasStatus.Success, DrIndicators.SenseUnusable), sense);
        byte[] after = Assert.Single(_native.Calls).BlockAfter;
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(after.AsSpan(12 + 8)));
        Assert.Equal(DrIndicators.SenseUnusable, BinaryPrimitives.ReadUInt32BigEndian(after.AsSpan(12 + 12)));
    }

    [Theory]
    [InlineData("cpu add count 1")]
    [InlineData("memory add count 3")]
    [InlineData("pci add index 0x40000010")]
    public void The_engine_runs_over_SysRtas_as_over_the_platform(string request)
    {
        using var rtas = new SysRtas(_root.Paths, _native);
        var engine = new DlparEngine(rtas, _partition.Kernel, new MemoryJournal(), new EngineOptions { Sleep = _ => { } });

        DlparResult result = engine.Execute(RequestGrammar.Parse(request).Request);

        Assert.True(result.Complete, result.Error);
        Assert.Equal(engine.LastRtasCalls, _native.Calls.Count);
        Assert.Equal(rtas.Calls, _native.Calls.Count);
        Assert.Contains(_native.Calls, c => c.Service == RtasServices.ConfigureConnector);
    }

    [Fact]
    public void Configure_connector_passes_an_rmo_page_holding_the_work_area_under_the_librtas_lock()
    {
        using var rtas = new SysRtas(_root.Paths, _native);
        Assert.True(rtas.SetIndicator(DrIndicators.AllocationState, 0x10000001, 1).IsSuccess);
        Assert.True(rtas.SetIndicator(DrIndicators.IsolationState, 0x10000001, 1).IsSuccess);
        byte[] workArea = new byte[4096];
        BinaryPrimitives.WriteUInt32BigEndian(workArea, 0x10000001);

        RtasStatus status = rtas.ConfigureConnector(workArea, []);

        Assert.Equal(2, status.Value); // next child: the CPU node
        RecordedCall call = _native.Calls[^1];
        uint address = BinaryPrimitives.ReadUInt32BigEndian(call.BlockBefore.AsSpan(12));
        Assert.Equal(FakeRoot.RmoBase, address);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(call.BlockBefore.AsSpan(16))); // no extension
        Assert.Equal(0x10000001u, BinaryPrimitives.ReadUInt32BigEndian(call.WorkAreaBefore));
        Assert.Equal(call.WorkAreaAfter, workArea); // copied back

        // librtas's protocol: a write lock on LCK..librtas at byte offset = page index, length = pages.
        string inode = Inode(_root.Resolve("/var/lock/LCK..librtas"));
        Assert.Contains(call.Locks, l => l.Contains("WRITE", StringComparison.Ordinal) && l.Contains(string.Create(CultureInfo.InvariantCulture,
            $":{inode} 0 0"), StringComparison.Ordinal));

        // The page is given back: no lock remains, and the next call reuses page 0.
        rtas.ConfigureConnector(workArea, []);
        Assert.Equal(FakeRoot.RmoBase, BinaryPrimitives.ReadUInt32BigEndian(_native.Calls[^1].BlockBefore.AsSpan(12)));
    }

    private static string Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i",
            path]) { RedirectStandardOutput = true })!;
        string inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return inode;
    }

    [Fact]
    public void An_extension_is_the_page_after_the_work_area()
    {
        using var rtas = new SysRtas(_root.Paths, _native);
        byte[] workArea = new byte[4096];
        BinaryPrimitives.WriteUInt32BigEndian(workArea, 0x10000001);

        rtas.ConfigureConnector(workArea, new byte[4096]);

        RecordedCall call = _native.Calls[^1];
        Assert.Equal(FakeRoot.RmoBase + 4096, BinaryPrimitives.ReadUInt32BigEndian(call.BlockBefore.AsSpan(16)));
        Assert.Contains(call.Locks, l => l.Contains(" 0 1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, LinuxProblem.NotPermitted, "needs root")]
    [InlineData(22, LinuxProblem.CallBlocked, "allowlist")]
    [InlineData(38, LinuxProblem.NoSyscall, "no rtas system call")]
    public void Syscall_errors_are_explained(int errno, LinuxProblem problem, string words)
    {
        using var rtas = new SysRtas(_root.Paths, _native);
        _native.SyscallErrno = errno;

        var error = Assert.Throws<LinuxBackendException>(() => rtas.GetSensorState(9003, 0x10000001));

        Assert.Equal(problem, error.Problem);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calls_the_kernel_blocks_and_services_without_tokens_are_refused_clearly()
    {
        using var rtas = new SysRtas(_root.Paths, _native);
        File.Delete(_root.Resolve("/proc/device-tree/rtas/set-power-level"));

        Assert.False(rtas.HasService(RtasServices.SetPowerLevel));
        Assert.Equal(LinuxProblem.NoToken, Assert.Throws<LinuxBackendException>(() => rtas.SetPowerLevel(1, 100)).Problem);
        Assert.Equal(LinuxProblem.CallBlocked, Assert.Throws<LinuxBackendException>(() => rtas.CheckException(0x500, 0, 0x10000000, new byte[2048])).Problem);
        Assert.True(rtas.HasService(RtasServices.ConfigureConnector));
    }

    [Fact]
    public void Busy_answers_are_returned_raw_or_retried_as_librtas_does()
    {
        _partition.Platform.State.Faults.Add(new FaultRule { Service = RtasServices.SetIndicator, Kind = FaultKind.Busy, StormLength = 2, Times = 1 });
        using var raw = new SysRtas(_root.Paths, _native);
        Assert.Equal(RtasStatus.Busy, raw.SetIndicator(9003, 0x10000001, 1));

        _partition.Platform.State.Faults.Add(new FaultRule { Service = RtasServices.SetIndicator, Kind = FaultKind.Delay, Status = 9901, StormLength = 2,
            Times = 1 });
        var slept = new List<TimeSpan>();
        using var retrying = new SysRtas(_root.Paths, _native, slept.Add) { HandleDelays = true };
        int before = _native.Calls.Count;
        RtasStatus final = retrying.SetIndicator(9003, 0x10000001, 1);

        Assert.False(final.IsRetry);
        Assert.True(_native.Calls.Count - before >= 2);
        Assert.All(slept, s => Assert.Equal(TimeSpan.FromMilliseconds(10), s));
    }

    [Fact]
    public void A_missing_rtas_node_or_rmo_buffer_says_what_is_missing()
    {
        using var rtas = new SysRtas(_root.Paths, _native);
        File.Delete(_root.Resolve("/proc/powerpc/rtas/rmo_buffer"));

        var error = Assert.Throws<LinuxBackendException>(() => rtas.ConfigureConnector(new byte[4096], []));
        Assert.Equal(LinuxProblem.NoRmoBuffer, error.Problem);

        Directory.Delete(_root.Resolve("/proc/device-tree/rtas"), recursive: true);
        Assert.Equal(LinuxProblem.NoRtas, Assert.Throws<LinuxBackendException>(() => new SysRtas(_root.Paths, _native)).Problem);
    }
}
