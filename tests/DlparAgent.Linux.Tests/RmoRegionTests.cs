using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Rtas;
using DlparAgent.Linux.Tests.Support;

namespace DlparAgent.Linux.Tests;

/// <summary>The RMO buffer file's format, its older path, and the page allocator shared by threads.</summary>
public sealed class RmoRegionTests : IDisposable
{
    private readonly FakeRoot _root;
    private readonly FakeNative _native;

    public RmoRegionTests()
    {
        EmulatedPartition partition = EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern);
        _root = new FakeRoot(partition);
        _native = new FakeNative(partition.Platform, _root);
    }

    public void Dispose()
    {
        _native.Dispose();
        _root.Dispose();
    }

    [Theory]
    [InlineData("000000000f000000 10000\n", 0x0F000000UL, 0x10000)]
    [InlineData("0000000002000000 1000", 0x02000000UL, 0x1000)]
    public void The_kernels_format_is_hex_base_and_hex_size(string text, ulong physicalBase, int size)
    {
        Assert.Equal((physicalBase, size), RmoRegion.Parse(text, "rmo_buffer"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("000000000f000000")]
    [InlineData("000000000f000000 0")]
    [InlineData("000000000f000800 10000")]
    [InlineData("000000000f000000 10001")]
    [InlineData("000000000f000000 41000")]
    [InlineData("00000001ffff0000 20000")]
    [InlineData("zz 10000")]
    public void Unusable_regions_are_refused_with_the_file_named(string text)
    {
        var error = Assert.Throws<LinuxBackendException>(() => RmoRegion.Parse(text, "/proc/powerpc/rtas/rmo_buffer"));

        Assert.Equal(LinuxProblem.NoRmoBuffer, error.Problem);
        Assert.StartsWith("/proc/powerpc/rtas/rmo_buffer:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_older_proc_ppc64_path_is_used_when_the_new_one_is_missing()
    {
        File.Move(_root.Resolve("/proc/powerpc/rtas/rmo_buffer"), _root.Resolve("/proc/powerpc/rtas/old"));
        _root.Write("/proc/ppc64/rtas/rmo_buffer", File.ReadAllText(_root.Resolve("/proc/powerpc/rtas/old")));

        using RmoRegion region = RmoRegion.Open(_root.Paths, _native);

        Assert.Equal(FakeRoot.RmoBase, region.PhysicalBase);
        Assert.Equal(16, region.Pages);
    }

    [Fact]
    public void Pages_are_handed_out_once_and_reused_after_release()
    {
        using RmoRegion region = RmoRegion.Open(_root.Paths, _native);
        var held = Enumerable.Range(0, 16).Select(_ => region.Allocate(1)).ToList();

        Assert.Equal(Enumerable.Range(0, 16), held.Select(a => a.FirstPage).Order());
        Assert.Equal(LinuxProblem.RmoExhausted, Assert.Throws<LinuxBackendException>(() => region.Allocate(1)).Problem);

        held[5].Dispose();
        using RmoWorkArea again = region.Allocate(1);
        Assert.Equal(5, again.FirstPage);
        held.ForEach(a => a.Dispose());

        using RmoWorkArea two = region.Allocate(2);
        Assert.Equal(FakeRoot.RmoBase, two.PhysicalAddress);
        Assert.Equal(8192, two.Bytes.Length);
    }

    [Fact]
    public void Threads_allocating_together_never_share_a_page()
    {
        using RmoRegion region = RmoRegion.Open(_root.Paths, _native);
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        var overlap = 0;
        var inUse = new int[16];

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            using RmoWorkArea area = region.Allocate(1);
            if (Interlocked.Increment(ref inUse[area.FirstPage]) != 1)
            {
                Interlocked.Increment(ref overlap);
            }

            area.Bytes[0] = (byte)area.FirstPage;
            seen.Add(area.FirstPage);
            Interlocked.Decrement(ref inUse[area.FirstPage]);
        });

        Assert.Equal(0, overlap);
        Assert.Equal(400, seen.Count);
    }

    [Fact]
    public void A_dev_mem_that_cannot_be_opened_is_explained()
    {
        File.Delete(_root.Resolve("/dev/mem"));

        var error = Assert.Throws<LinuxBackendException>(() => RmoRegion.Open(_root.Paths, _native));

        Assert.Equal(LinuxProblem.NoDevMem, error.Problem);
        Assert.Contains("lockdown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_abi_table_is_explicit_per_architecture()
    {
        Assert.Equal(255, LinuxAbi.Ppc64Le.RtasSyscall);
        Assert.Equal(255, LinuxAbi.Ppc64.RtasSyscall);
        Assert.Null(LinuxAbi.X64.RtasSyscall);
        Assert.True(LinuxAbi.Ppc64.BigEndian);
        Assert.False(LinuxAbi.Ppc64Le.BigEndian);
        Assert.Equal((1u, 2u, 4u, 13), (LinuxAbi.Ppc64Le.IocNone, LinuxAbi.Ppc64Le.IocRead, LinuxAbi.Ppc64Le.IocWrite, LinuxAbi.Ppc64Le.IocSizeBits));
        Assert.Equal((0u, 2u, 1u, 14), (LinuxAbi.X64.IocNone, LinuxAbi.X64.IocRead, LinuxAbi.X64.IocWrite, LinuxAbi.X64.IocSizeBits));
        Assert.Throws<ArgumentOutOfRangeException>(() => LinuxAbi.Ppc64Le.IoctlWrite(0xb2, 1, 8192));
        Assert.Equal(7, LinuxAbi.Ppc64Le.Locks.SetLockWait);
    }
}
