using System.Buffers.Binary;
using DlparAgent.Core.Formats.Events;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Events;

/// <summary>
/// The rtasd error log (<c>/proc/powerpc/rtas/error_log</c>) as a stream of records: each
/// blocking <c>read(2)</c> returns, and consumes, exactly one record (a host-endian sequence
/// number and an RTAS event log). Reads are destructive: only one reader in the system sees
/// each event, which is why the service refuses to run beside rtas_errd.
/// </summary>
public sealed class RtasErrorLog : IDisposable
{
    private readonly ILinuxNative _native;
    private readonly SafeFileDescriptor _fd;
    private readonly byte[] _buffer;

    private RtasErrorLog(ILinuxNative native, SafeFileDescriptor fd, string path, int bufferSize)
    {
        _native = native;
        _fd = fd;
        Path = path;
        _buffer = new byte[bufferSize];
    }

    public string Path { get; }

    public static RtasErrorLog Open(LinuxPaths paths, ILinuxNative native)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(native);
        string path = paths.FindErrorLog(native)
            ?? throw new LinuxBackendException(LinuxProblem.MissingKernelFile,
                "the kernel has no rtasd error log (/proc/powerpc/rtas/error_log): the firmware offers no event-scan");

        // The kernel refuses reads smaller than rtas-error-log-max + 4; rtas_errd reads 4096.
        string maxFile = System.IO.Path.Join(paths.RtasNode, "rtas-error-log-max");
        int logMax = native.FileExists(maxFile) && native.ReadFile(maxFile) is { Length: 4 } max ? (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(max),
            RtasdRecordCodec.MaxErrorLogSize) : RtasdRecordCodec.MaxErrorLogSize;
        SafeFileDescriptor fd;
        try
        {
            fd = native.Open(path, OpenMode.Read);
        }
        catch (NativeCallException error)
        {
            throw new LinuxBackendException(error.Errno == 13 || error.Errno == 1 ? LinuxProblem.NotPermitted : LinuxProblem.MissingKernelFile,
                $"cannot open {path}: {error.Message}", error);
        }

        return new RtasErrorLog(native, fd, path, Math.Max(4096, logMax + 4));
    }

    /// <summary>Blocks until the kernel has a record and returns it; null at end of file (not a real error log).</summary>
    public ErrorLogEntry? ReadNext()
    {
        int read = _native.Read(_fd, _buffer);
        if (read == 0)
        {
            return null;
        }

        return ErrorLogRecords.Decode(_buffer.AsSpan(0, read).ToArray(), _native.Abi.BigEndian);
    }

    public void Dispose() => _fd.Dispose();
}
