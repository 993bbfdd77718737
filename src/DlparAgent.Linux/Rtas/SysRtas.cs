using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;
using DlparAgent.Linux.Interop;

namespace DlparAgent.Linux.Rtas;

/// <summary>
/// <see cref="IRtas"/> over the Linux <c>rtas</c> syscall: tokens from the device tree, the
/// big-endian argument block, and librtas-compatible work areas in the RMO region for
/// configure-connector. Statuses come back raw (the engine retries busy and extended delays
/// within its deadline); <see cref="HandleDelays"/> makes the calls retry as librtas does for
/// callers without such a loop.
/// </summary>
public sealed unsafe class SysRtas : IRtas, IDisposable
{
    private readonly LinuxPaths _paths;
    private readonly ILinuxNative _native;
    private readonly RtasTokenTable _tokens;
    private readonly Lock _callLock = new();
    private readonly byte[] _block = GC.AllocateArray<byte>(RtasArgs.Size, pinned: true);
    private readonly Action<TimeSpan> _sleep;
    private RmoRegion? _rmo;

    public SysRtas(LinuxPaths paths, ILinuxNative native, Action<TimeSpan>? sleep = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(native);
        _paths = paths;
        _native = native;
        _tokens = new RtasTokenTable(paths, native);
        _sleep = sleep ?? Thread.Sleep;
        if (native.Abi.RtasSyscall is null)
        {
            throw new LinuxBackendException(LinuxProblem.NoSyscall, $"{native.Abi.Name} has no rtas system call");
        }

        if (!native.DirectoryExists(paths.RtasNode))
        {
            throw new LinuxBackendException(LinuxProblem.NoRtas, $"no RTAS on this system ({paths.RtasNode} is missing): not a pseries partition");
        }
    }

    /// <summary>Retry -2 at once and 990x after 10^x ms, as librtas's wrappers do.</summary>
    public bool HandleDelays { get; init; }

    /// <summary>The syscalls made, retries included.</summary>
    public long Calls { get; private set; }

    public bool HasService(string name) => _tokens.Find(name) is not null;

    public RtasResult GetSensorState(uint sensor, uint index) => Simple(RtasServices.GetSensorState, [sensor, index], 2);

    public RtasStatus SetIndicator(uint indicator, uint index, uint value) => Simple(RtasServices.SetIndicator, [indicator, index, value], 1).Status;

    public RtasResult GetPowerLevel(uint domain) => Simple(RtasServices.GetPowerLevel, [domain], 2);

    public RtasResult SetPowerLevel(uint domain, uint level) => Simple(RtasServices.SetPowerLevel, [domain, level], 2);

    /// <summary>
    /// Copies the work area (and the extension, when given) into RMO pages, contiguous so that
    /// offsets past the first page reach the extension, calls, and copies them back when the
    /// syscall itself succeeded.
    /// </summary>
    public RtasStatus ConfigureConnector(Span<byte> workArea, Span<byte> extension)
    {
        if (workArea.Length < ConfigureConnectorWorkArea.Size || (!extension.IsEmpty && extension.Length < ConfigureConnectorWorkArea.Size))
        {
            throw new ArgumentException("configure-connector takes whole 4096-byte pages");
        }

        uint token = _tokens.Require(RtasServices.ConfigureConnector);
        using RmoWorkArea pages = Rmo.Allocate(extension.IsEmpty ? 1 : 2);
        Span<byte> mapped = pages.Bytes;
        while (true)
        {
            workArea[..RmoRegion.PageSize].CopyTo(mapped);
            if (!extension.IsEmpty)
            {
                extension[..RmoRegion.PageSize].CopyTo(mapped[RmoRegion.PageSize..]);
            }

            uint extensionAddress = extension.IsEmpty ? 0 : pages.PhysicalAddress + RmoRegion.PageSize;
            RtasStatus status = Raw(RtasServices.ConfigureConnector, token, [pages.PhysicalAddress, extensionAddress], 1, out _);
            mapped[..RmoRegion.PageSize].CopyTo(workArea);
            if (!extension.IsEmpty)
            {
                mapped[RmoRegion.PageSize..(2 * RmoRegion.PageSize)].CopyTo(extension);
            }

            if (!(HandleDelays && status.IsRetry))
            {
                return status;
            }

            Delay(status);
        }
    }

    /// <summary>One call of any service the kernel allows, returning the status and the second output word.</summary>
    public RtasResult Call(string service, ReadOnlySpan<uint> inputs, int outputs) => Simple(service, inputs, outputs);

    /// <summary>One call returning every output word (status first).</summary>
    public RtasCallOutputs CallWithOutputs(string service, ReadOnlySpan<uint> inputs, int outputs)
    {
        uint token = _tokens.Require(service);
        while (true)
        {
            uint[] words = RawOutputs(service, token, inputs, outputs);
            var answer = new RtasCallOutputs(words);
            if (!(HandleDelays && answer.Status.IsRetry))
            {
                return answer;
            }

            Delay(answer.Status);
        }
    }

    /// <summary>Pages of the RTAS user region for a call's buffers (the caller disposes them).</summary>
    public RmoWorkArea AllocateWorkArea(int pages) => Rmo.Allocate(pages);

    /// <summary>The kernel refuses check-exception from user space; the event service reads the error log instead.</summary>
    public RtasStatus CheckException(uint vector, uint extendedInfo, uint mask, Span<byte> buffer) =>
        throw new LinuxBackendException(LinuxProblem.CallBlocked,
            "check-exception is not callable from user space on Linux (the kernel takes events itself and logs them to /proc/powerpc/rtas/error_log)");

    public RtasStatus EventScan(uint mask, Span<byte> buffer) =>
        throw new LinuxBackendException(LinuxProblem.CallBlocked,
            "event-scan is not callable from user space on Linux (rtasd runs it and logs to /proc/powerpc/rtas/error_log)");

    public void Dispose() => _rmo?.Dispose();

    private RmoRegion Rmo
    {
        get
        {
            lock (_callLock)
            {
                return _rmo ??= RmoRegion.Open(_paths, _native);
            }
        }
    }

    private RtasResult Simple(string service, ReadOnlySpan<uint> inputs, int outputs)
    {
        uint token = _tokens.Require(service);
        while (true)
        {
            RtasStatus status = Raw(service, token, inputs, outputs, out uint value);
            if (!(HandleDelays && status.IsRetry))
            {
                return new RtasResult(status, value);
            }

            Delay(status);
        }
    }

    /// <summary>One syscall; returns the status and the second output word.</summary>
    private RtasStatus Raw(string service, uint token, ReadOnlySpan<uint> inputs, int outputs, out uint value)
    {
        uint[] words = RawOutputs(service, token, inputs, outputs);
        value = outputs >= 2 ? words[1] : 0;
        return new RtasStatus(unchecked((int)words[0]));
    }

    private uint[] RawOutputs(string service, uint token, ReadOnlySpan<uint> inputs, int outputs)
    {
        lock (_callLock)
        {
            RtasArgs.Write(_block, token, inputs, outputs);
            Calls++;
            try
            {
                // The block is allocated pinned; fixed only yields its address.
                fixed (byte* block = _block)
                {
                    _native.Syscall(_native.Abi.RtasSyscall!.Value, (nint)block);
                }
            }
            catch (NativeCallException error)
            {
                throw Explain(service, error);
            }

            uint[] words = new uint[outputs];
            for (int k = 0; k < outputs; k++)
            {
                words[k] = RtasArgs.Word(_block, inputs.Length + k);
            }

            return words;
        }
    }

    private void Delay(RtasStatus status)
    {
        if (status.IsExtendedDelay)
        {
            _sleep(status.RetryDelay);
        }
    }

    private static LinuxBackendException Explain(string service, NativeCallException error) => (Errno)error.Errno switch
    {
        Errno.EPERM => new LinuxBackendException(LinuxProblem.NotPermitted, $"{service}: the rtas system call needs root (CAP_SYS_ADMIN)", error),
        Errno.EINVAL => new LinuxBackendException(LinuxProblem.CallBlocked,
            $"{service}: the kernel refused the call (not in its RTAS allowlist, a buffer outside the RMO region, or RTAS not instantiated)", error),
        Errno.ENOSYS => new LinuxBackendException(LinuxProblem.NoSyscall, $"{service}: this kernel has no rtas system call", error),
        _ => new LinuxBackendException(LinuxProblem.CallBlocked, $"{service}: {error.Message}", error),
    };
}
