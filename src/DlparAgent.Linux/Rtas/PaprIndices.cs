using System.Buffers.Binary;
using System.Text;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Rtas;

/// <summary>
/// Indicator and sensor indices and the dynamic (location-code) sensors and indicators:
/// through <c>/dev/papr-indices</c> where the kernel has it (which runs the whole sequence under
/// its lock), otherwise through the rtas syscall with RMO work areas, as librtas does.
/// </summary>
public sealed unsafe class PaprIndices(LinuxPaths paths, ILinuxNative native, SysRtas rtas)
{
    public const string GetIndices = "ibm,get-indices";
    public const string GetDynamicSensorState = "ibm,get-dynamic-sensor-state";
    public const string SetDynamicIndicator = "ibm,set-dynamic-indicator";

    private const int WorkAreaSize = 4096;
    private const int LocationMax = 80;

    /// <summary>Whether the character device serves the calls (else the syscall does).</summary>
    public bool UsesDevice
    {
        get
        {
            using SafeFileDescriptor? device = PaprDevices.TryOpen(native, paths.PaprIndices);
            return device is not null;
        }
    }

    /// <summary>Every index of an indicator (or sensor) type, with its location code.</summary>
    public IReadOnlyList<IndexRecord> List(bool sensor, uint type)
    {
        using SafeFileDescriptor? device = PaprDevices.TryOpen(native, paths.PaprIndices);
        return device is null ? ListBySyscall(sensor, type) : ListByDevice(device, sensor, type);
    }

    public uint GetDynamicSensor(uint sensor, string locationCode)
    {
        using SafeFileDescriptor? device = PaprDevices.TryOpen(native, paths.PaprIndices);
        if (device is not null)
        {
            byte[] block = DynamicBlock(sensor, 0, locationCode);
            Ioctl(device, PaprDevices.DynamicSensorGet(native.Abi), block);
            return Host32(block.AsSpan(4));
        }

        using RmoWorkArea area = rtas.AllocateWorkArea(1);
        WriteLocation(area.Bytes, locationCode);
        RtasResult result = rtas.Call(GetDynamicSensorState, [sensor, area.PhysicalAddress], 2);
        return result.Status.IsSuccess ? result.Value : throw new RtasStatusException(GetDynamicSensorState, result.Status);
    }

    public void SetDynamic(uint indicator, uint value, string locationCode)
    {
        using SafeFileDescriptor? device = PaprDevices.TryOpen(native, paths.PaprIndices, write: true);
        if (device is not null)
        {
            Ioctl(device, PaprDevices.DynamicIndicatorSet(native.Abi), DynamicBlock(indicator, value, locationCode));
            return;
        }

        using RmoWorkArea area = rtas.AllocateWorkArea(1);
        WriteLocation(area.Bytes, locationCode);
        RtasStatus status = rtas.Call(SetDynamicIndicator, [indicator, value, area.PhysicalAddress], 1).Status;
        if (!status.IsSuccess)
        {
            throw new RtasStatusException(SetDynamicIndicator, status);
        }
    }

    /// <summary>Parses one work area: BE count, then {BE index, BE length including the NUL, location code}.</summary>
    public static List<IndexRecord> ParseWorkArea(ReadOnlySpan<byte> workArea)
    {
        var reader = new BigEndianReader(workArea, GetIndices);
        uint count = reader.ReadUInt32("count");
        if (count > (uint)workArea.Length / 8)
        {
            throw new DlparFormatException(GetIndices, "count", 0, $"{count} records cannot fit a {workArea.Length}-byte work area");
        }

        var records = new List<IndexRecord>((int)count);
        for (uint i = 0; i < count; i++)
        {
            uint index = reader.ReadUInt32("index");
            int offset = reader.Position;
            uint length = reader.ReadUInt32("location-code length");
            if (length > LocationMax)
            {
                throw new DlparFormatException(GetIndices, "location-code length", offset, $"{length} bytes exceed {LocationMax}");
            }

            ReadOnlySpan<byte> code = reader.ReadBytes((int)length, "location code");
            int nul = code.IndexOf((byte)0);

            records.Add(new IndexRecord(index, Encoding.ASCII.GetString(nul >= 0 ? code[..nul] : code)));
        }

        return records;
    }

    private List<IndexRecord> ListByDevice(SafeFileDescriptor device, bool sensor, uint type)
    {
        byte[] block = new byte[PaprDevices.IndicesBlockSize];
        block[0] = sensor ? (byte)1 : (byte)0;
        WriteHost32(block.AsSpan(4), type);
        int fd = Ioctl(device, PaprDevices.IndicesGet(native.Abi), block);
        using SafeFileDescriptor handle = native.Adopt(fd);
        var records = new List<IndexRecord>();
        byte[] workArea = new byte[WorkAreaSize];
        while (native.Read(handle, workArea) is var read && read > 0)
        {
            records.AddRange(ParseWorkArea(workArea.AsSpan(0, read)));
        }

        return records;
    }

    private List<IndexRecord> ListBySyscall(bool sensor, uint type)
    {
        var records = new List<IndexRecord>();
        using RmoWorkArea area = rtas.AllocateWorkArea(1);
        uint start = 1;
        for (int rounds = 0; rounds < 10_000; rounds++)
        {
            RtasCallOutputs answer = rtas.CallWithOutputs(GetIndices, [sensor ? 1u : 0u, type, area.PhysicalAddress, WorkAreaSize, start], 2);
            switch (answer.Status.Value)
            {
                case 0 or 1:
                    records.AddRange(ParseWorkArea(area.Bytes[..WorkAreaSize]));
                    if (answer.Status.Value == 0)
                    {
                        return records;
                    }

                    start = answer.Outputs[1];
                    break;
                case -4:
                    // The list changed under us: start over, as the kernel does.
                    records.Clear();
                    start = 1;
                    break;
                default:
                    throw new RtasStatusException(GetIndices, answer.Status);
            }
        }

        throw new RtasStatusException(GetIndices, RtasStatus.HardwareError);
    }

    private int Ioctl(SafeFileDescriptor device, uint request, byte[] block)
    {
        fixed (byte* argument = block)
        {
            return native.Ioctl(device, request, (nint)argument);
        }
    }

    private byte[] DynamicBlock(uint token, uint state, string locationCode)
    {
        if (locationCode.Length >= LocationMax || !Ascii.IsValid(locationCode))
        {
            throw new ArgumentException($"a location code is at most {LocationMax - 1} ASCII characters", nameof(locationCode));
        }

        byte[] block = new byte[PaprDevices.IndicesBlockSize];
        WriteHost32(block, token);
        WriteHost32(block.AsSpan(4), state);
        Encoding.ASCII.GetBytes(locationCode, block.AsSpan(8));
        return block;
    }

    /// <summary>The syscall's location-code buffer: BE length including the NUL, then the NUL-terminated code.</summary>
    private static void WriteLocation(Span<byte> buffer, string locationCode)
    {
        if (locationCode.Length >= LocationMax || !Ascii.IsValid(locationCode))
        {
            throw new ArgumentException($"a location code is at most {LocationMax - 1} ASCII characters", nameof(locationCode));
        }

        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)locationCode.Length + 1);
        int written = Encoding.ASCII.GetBytes(locationCode, buffer[4..]);
        buffer[4 + written] = 0;
    }

    // The ioctl blocks are host-endian: the kernel builds the big-endian work areas itself.
    private void WriteHost32(Span<byte> destination, uint value)
    {
        if (native.Abi.BigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, value);
        }
    }

    private uint Host32(ReadOnlySpan<byte> source) =>
        native.Abi.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(source) : BinaryPrimitives.ReadUInt32LittleEndian(source);
}
