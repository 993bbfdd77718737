using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Rtas;

/// <summary>
/// The PAPR character devices' ioctl numbers (type 0xb2), computed with the kernel's own ioctl
/// encoding (powerpc: 13 size bits, write = 4), and librtas's rule for using a device: it
/// exists and opens read-only; otherwise the rtas syscall is the fallback.
/// </summary>
public static class PaprDevices
{
    public const byte IoctlType = 0xb2;

    /// <summary><c>struct papr_indices_io_block</c>: 88 bytes.</summary>
    public const int IndicesBlockSize = 88;

    /// <summary><c>struct papr_sysparm_io_block</c>: u32 parameter, u16 length, u8 data[4000].</summary>
    public const int SysparmBlockSize = 4008;

    public const int SysparmMaxOutput = 4000;

    public static uint SysparmGet(LinuxAbi abi) => abi.IoctlReadWrite(IoctlType, 1, SysparmBlockSize);

    public static uint IndicesGet(LinuxAbi abi) => abi.IoctlWrite(IoctlType, 3, IndicesBlockSize);

    public static uint DynamicSensorGet(LinuxAbi abi) => abi.IoctlReadWrite(IoctlType, 4, IndicesBlockSize);

    public static uint DynamicIndicatorSet(LinuxAbi abi) => abi.IoctlWrite(IoctlType, 5, IndicesBlockSize);

    /// <summary>Opens the device as librtas probes it (read-only), or null when it is absent or refuses.</summary>
    public static SafeFileDescriptor? TryOpen(ILinuxNative native, string path, bool write = false)
    {
        ArgumentNullException.ThrowIfNull(native);
        if (!native.FileExists(path))
        {
            return null;
        }

        try
        {
            return native.Open(path, write ? OpenMode.ReadWrite : OpenMode.Read);
        }
        catch (NativeCallException)
        {
            return null;
        }
    }
}
