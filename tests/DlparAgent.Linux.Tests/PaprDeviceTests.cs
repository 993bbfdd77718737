using System.Buffers.Binary;
using System.Text;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Linux.Interop;
using DlparAgent.Linux.Rtas;
using DlparAgent.Linux.Tests.Support;

namespace DlparAgent.Linux.Tests;

/// <summary>
/// /dev/papr-indices and /dev/papr-sysparm preferred when present (with the powerpc ioctl
/// numbers and host-endian blocks), the rtas syscall with RMO buffers otherwise; both give the
/// same answers.
/// </summary>
public sealed unsafe class PaprDeviceTests : IDisposable
{
    private static readonly (uint Index, string Code)[] Leds = [(0x1, "U78CB.001.WZS0001-P1-C3"), (IndexRecord.Dynamic, "U78CB.001.WZS0001-P1-C5"), (0x7,
        "U78CB.001.WZS0001-P1")];

    private readonly EmulatedPartition _partition = EmulatedPartition.Create(new MachineProfile(), KernelFeatures.Modern);
    private readonly FakeRoot _root;
    private readonly FakeNative _native;
    private readonly SysRtas _rtas;

    public PaprDeviceTests()
    {
        _root = new FakeRoot(_partition);
        foreach ((uint token, string service) in FakeNative.ExtraTokens)
        {
            byte[] value = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(value, token);
            _root.WriteBytes($"/proc/device-tree/rtas/{service}", value);
        }

        _native = new FakeNative(_partition.Platform, _root);
        _rtas = new SysRtas(_root.Paths, _native);
    }

    public void Dispose()
    {
        _rtas.Dispose();
        _native.Dispose();
        _root.Dispose();
    }

    [Fact]
    public void The_ioctl_numbers_are_the_kernels_powerpc_values()
    {
        Assert.Equal(0x8058B203u, PaprDevices.IndicesGet(LinuxAbi.Ppc64Le));
        Assert.Equal(0xC058B204u, PaprDevices.DynamicSensorGet(LinuxAbi.Ppc64Le));
        Assert.Equal(0x8058B205u, PaprDevices.DynamicIndicatorSet(LinuxAbi.Ppc64Le));
        Assert.Equal(0xCFA8B201u, PaprDevices.SysparmGet(LinuxAbi.Ppc64Le));
        Assert.Equal(PaprDevices.IndicesGet(LinuxAbi.Ppc64Le), PaprDevices.IndicesGet(LinuxAbi.Ppc64));

        // x86's encoding differs (14 size bits, write = 1): the table is per architecture.
        Assert.Equal(0x4058B203u, PaprDevices.IndicesGet(LinuxAbi.X64));
    }

    [Fact]
    public void Indices_come_from_the_device_when_it_exists()
    {
        _root.Write("/dev/papr-indices", string.Empty);
        string workAreas = Path.Combine(_root.Root, "indices.bin");
        File.WriteAllBytes(workAreas, [.. WorkArea(Leds[..2]), .. WorkArea(Leds[2..])]);
        byte isSensor = 9;
        uint type = 0;
        _native.IoctlHandler = (path, request, argument) =>
        {
            Assert.Equal("/dev/papr-indices", path);
            Assert.Equal(0x8058B203u, request);
            var block = new Span<byte>((void*)argument, PaprDevices.IndicesBlockSize);
            isSensor = block[0];
            type = BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
            return _native.OpenForHandle(workAreas);
        };
        var indices = new PaprIndices(_root.Paths, _native, _rtas);

        IReadOnlyList<IndexRecord> records = indices.List(sensor: false, 9007);

        Assert.True(indices.UsesDevice);
        Assert.Equal(Leds.Select(l => new IndexRecord(l.Index, l.Code)), records);
        Assert.Equal((0, 9007u), (isSensor, type));
        Assert.DoesNotContain(_native.Calls, c => c.Service == PaprIndices.GetIndices);
    }

    [Fact]
    public void Without_the_device_the_syscall_sequence_is_followed_to_the_end()
    {
        int round = 0;
        _native.ExtraService = (service, args) =>
        {
            Assert.Equal(PaprIndices.GetIndices, service);
            Assert.Equal([1u, 9006u], args[..2]);
            Assert.Equal(4096u, args[3]);
            uint start = args[4];
            Assert.Equal(round == 0 ? 1u : 77u, start);
            WorkArea(round == 0 ? Leds[..2] : Leds[2..]).CopyTo(_native.RmoAt(args[2], 4096));
            return round++ == 0 ? [1u, 77u] : [0u, 0u];
        };

        IReadOnlyList<IndexRecord> records = new PaprIndices(_root.Paths, _native, _rtas).List(sensor: true, 9006);

        Assert.Equal(Leds.Select(l => new IndexRecord(l.Index, l.Code)), records);
        Assert.Equal(2, round);
    }

    [Fact]
    public void A_dynamic_sensor_by_location_code_through_the_syscall_buffer()
    {
        _native.ExtraService = (service, args) =>
        {
            Assert.Equal(PaprIndices.GetDynamicSensorState, service);
            Assert.Equal(9007u, args[0]);
            Span<byte> buffer = _native.RmoAt(args[1], 64);
            Assert.Equal((uint)Leds[1].Code.Length + 1, BinaryPrimitives.ReadUInt32BigEndian(buffer));
            Assert.Equal(Leds[1].Code + "\0", Encoding.ASCII.GetString(buffer.Slice(4, Leds[1].Code.Length + 1)));
            return [0u, 1u];
        };

        Assert.Equal(1u, new PaprIndices(_root.Paths, _native, _rtas).GetDynamicSensor(9007, Leds[1].Code));
    }

    [Fact]
    public void A_dynamic_indicator_through_the_device_is_a_host_endian_block()
    {
        _root.Write("/dev/papr-indices", string.Empty);
        byte[]? seen = null;
        _native.IoctlHandler = (_, request, argument) =>
        {
            Assert.Equal(0x8058B205u, request);
            seen = new Span<byte>((void*)argument, PaprDevices.IndicesBlockSize).ToArray();
            return 0;
        };

        new PaprIndices(_root.Paths, _native, _rtas).SetDynamic(9007, 1, Leds[1].Code);

        Assert.Equal(9007u, BinaryPrimitives.ReadUInt32LittleEndian(seen));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(seen.AsSpan(4)));
        Assert.Equal(Leds[1].Code, Encoding.ASCII.GetString(seen.AsSpan(8, Leds[1].Code.Length)));
        Assert.Equal(0, seen![8 + Leds[1].Code.Length]);
    }

    [Fact]
    public void System_parameters_agree_between_the_device_and_the_syscall()
    {
        byte[] value = "partition_entitled_capacity=200,system_active_processors=8"u8.ToArray();
        _native.ExtraService = (service, args) =>
        {
            Assert.Equal(PaprSysparm.GetSystemParameter, service);
            Assert.Equal(20u, args[0]);
            Span<byte> buffer = _native.RmoAt(args[1], 4096);
            BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)value.Length);
            value.CopyTo(buffer[2..]);
            return [0u];
        };
        byte[] bySyscall = new PaprSysparm(_root.Paths, _native, _rtas).Get(PaprSysparm.SplparCharacteristics);

        _root.Write("/dev/papr-sysparm", string.Empty);
        _native.IoctlHandler = (_, request, argument) =>
        {
            Assert.Equal(0xCFA8B201u, request);
            var block = new Span<byte>((void*)argument, PaprDevices.SysparmBlockSize);
            Assert.Equal(20u, BinaryPrimitives.ReadUInt32LittleEndian(block));
            BinaryPrimitives.WriteUInt16LittleEndian(block[4..], (ushort)value.Length);
            value.CopyTo(block[6..]);
            return 0;
        };
        byte[] byDevice = new PaprSysparm(_root.Paths, _native, _rtas).Get(PaprSysparm.SplparCharacteristics);

        Assert.Equal(value, bySyscall);
        Assert.Equal(value, byDevice);
    }

    [Theory]
    [InlineData("00000009")]
    [InlineData("00000001 00000001 00000100")]
    [InlineData("00000001 00000001 00000008 4142")]
    public void Malformed_work_areas_are_format_errors(string hex)
    {
        Assert.Throws<Core.Formats.DlparFormatException>(() => PaprIndices.ParseWorkArea(Convert.FromHexString(hex.Replace(" ", string.Empty,
            StringComparison.Ordinal))));
    }

    private static byte[] WorkArea((uint Index, string Code)[] records)
    {
        byte[] area = new byte[4096];
        BinaryPrimitives.WriteUInt32BigEndian(area, (uint)records.Length);
        int at = 4;
        foreach ((uint index, string code) in records)
        {
            BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(at), index);
            BinaryPrimitives.WriteUInt32BigEndian(area.AsSpan(at + 4), (uint)code.Length + 1);
            Encoding.ASCII.GetBytes(code, area.AsSpan(at + 8));
            at += 8 + code.Length + 1;
        }

        return area;
    }
}
