using System.Buffers.Binary;
using DlparAgent.Core.Formats;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Rtas;

/// <summary>
/// <c>ibm,get-system-parameter</c>: through <c>/dev/papr-sysparm</c> where the kernel has it,
/// otherwise through the rtas syscall with an RMO buffer; either way the value comes back as
/// the bytes the firmware gave (the legacy buffer's 2-byte big-endian length is removed).
/// </summary>
public sealed unsafe class PaprSysparm(LinuxPaths paths, ILinuxNative native, SysRtas rtas)
{
    public const string GetSystemParameter = "ibm,get-system-parameter";

    /// <summary>Parameter 20: the partition's SPLPAR characteristics ("key=value,…").</summary>
    public const uint SplparCharacteristics = 20;

    public bool UsesDevice
    {
        get
        {
            using SafeFileDescriptor? device = PaprDevices.TryOpen(native, paths.PaprSysparm);
            return device is not null;
        }
    }

    public byte[] Get(uint parameter)
    {
        using SafeFileDescriptor? device = PaprDevices.TryOpen(native, paths.PaprSysparm);
        if (device is not null)
        {
            byte[] block = new byte[PaprDevices.SysparmBlockSize];
            if (native.Abi.BigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(block, parameter);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(block, parameter);
            }

            fixed (byte* argument = block)
            {
                native.Ioctl(device, PaprDevices.SysparmGet(native.Abi), (nint)argument);
            }

            int length = native.Abi.BigEndian
                ? BinaryPrimitives.ReadUInt16BigEndian(block.AsSpan(4)) : BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(4));
            if (length > PaprDevices.SysparmMaxOutput)
            {
                throw new DlparFormatException("papr-sysparm", "length", 4, $"{length} bytes exceed {PaprDevices.SysparmMaxOutput}");
            }

            return block.AsSpan(6, length).ToArray();
        }

        using RmoWorkArea area = rtas.AllocateWorkArea(1);
        var answer = rtas.Call(GetSystemParameter, [parameter, area.PhysicalAddress, (uint)RmoRegion.PageSize], 1);
        if (!answer.Status.IsSuccess)
        {
            throw new RtasStatusException(GetSystemParameter, answer.Status);
        }

        ReadOnlySpan<byte> buffer = area.Bytes;
        int declared = BinaryPrimitives.ReadUInt16BigEndian(buffer);
        if (declared > RmoRegion.PageSize - 2)
        {
            throw new DlparFormatException(GetSystemParameter, "length", 0, $"{declared} bytes exceed the {RmoRegion.PageSize - 2} the buffer holds");
        }

        return buffer.Slice(2, declared).ToArray();
    }
}
