using System.Buffers.Binary;
using System.Diagnostics;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Qemu;

/// <summary>
/// RTAS served by QEMU's own implementation through qtest: argument and result cells,
/// configure-connector work areas and event buffers live in guest memory (scratch pages above
/// SLOF's image that no vCPU touches), and each call runs QEMU's service by name.
/// </summary>
public sealed class QtestRtas : IRtas
{
    /// <summary>Argument cells, results right after them.</summary>
    public const ulong ArgumentsAddress = 0x100_0000;

    public const ulong WorkAreaAddress = 0x100_1000;

    public const ulong ExtensionAddress = 0x100_2000;

    public const ulong BufferAddress = 0x100_3000;

    public const int PageSize = 4096;

    private readonly QtestClient _qtest;
    private readonly Lazy<IReadOnlySet<string>> _services;
    private readonly Stopwatch _platformTime = new();

    internal QtestRtas(QtestClient qtest, Func<IReadOnlySet<string>>? services = null)
    {
        _qtest = qtest;
        _services = new Lazy<IReadOnlySet<string>>(services ?? (() => new HashSet<string>(StringComparer.Ordinal)));
    }

    /// <summary>Calls made so far.</summary>
    public long Calls { get; private set; }

    /// <summary>Wall time spent in the qtest exchanges of the calls (the platform's own time, as seen from here).</summary>
    public TimeSpan PlatformTime => _platformTime.Elapsed;

    public void ResetCounters()
    {
        Calls = 0;
        _platformTime.Reset();
    }

    public bool HasService(string name) => _services.Value.Contains(name);

    public RtasResult GetSensorState(uint sensor, uint index)
    {
        Span<uint> rets = stackalloc uint[2];
        RtasStatus status = Call(RtasServices.GetSensorState, [sensor, index], rets);
        return new RtasResult(status, rets[1]);
    }

    public RtasStatus SetIndicator(uint indicator, uint index, uint value) =>
        Call(RtasServices.SetIndicator, [indicator, index, value], stackalloc uint[1]);

    public RtasResult GetPowerLevel(uint domain)
    {
        Span<uint> rets = stackalloc uint[2];
        RtasStatus status = Call(RtasServices.GetPowerLevel, [domain], rets);
        return new RtasResult(status, rets[1]);
    }

    public RtasResult SetPowerLevel(uint domain, uint level)
    {
        Span<uint> rets = stackalloc uint[2];
        RtasStatus status = Call(RtasServices.SetPowerLevel, [domain, level], rets);
        return new RtasResult(status, rets[1]);
    }

    public RtasStatus ConfigureConnector(Span<byte> workArea, Span<byte> extension)
    {
        if (workArea.Length > PageSize || extension.Length > PageSize)
        {
            throw new ArgumentException("configure-connector work areas are one page each");
        }

        using (PlatformClock())
        {
            _qtest.Write(WorkAreaAddress, workArea);
            _qtest.Write(ExtensionAddress, extension);
        }

        // QEMU reads the work area at (args[1] << 32) | args[0]: the extension goes nowhere it could see.
        RtasStatus status = Call(RtasServices.ConfigureConnector, [(uint)WorkAreaAddress, 0], stackalloc uint[1]);
        using (PlatformClock())
        {
            _qtest.Read(WorkAreaAddress, workArea);
            _qtest.Read(ExtensionAddress, extension);
        }

        return status;
    }

    public RtasStatus CheckException(uint vector, uint extendedInfo, uint mask, Span<byte> buffer) =>
        WithBuffer(buffer, RtasServices.CheckException, [vector, extendedInfo, mask, 0, (uint)BufferAddress, (uint)buffer.Length]);

    public RtasStatus EventScan(uint mask, Span<byte> buffer) =>
        WithBuffer(buffer, RtasServices.EventScan, [mask, 0, (uint)BufferAddress, (uint)buffer.Length]);

    /// <summary>
    /// A call exactly as given, argument and result counts included (QEMU validates them): the
    /// result cells, or null when QEMU has no service of that name.
    /// </summary>
    public uint[]? RawCall(string service, ReadOnlySpan<uint> arguments, int resultCount)
    {
        var rets = new uint[resultCount];
        return Exchange(service, arguments, rets) ? rets : null;
    }

    /// <summary>Reads guest memory at a scratch address, e.g. the bytes a call wrote past a buffer it was given.</summary>
    public byte[] ReadScratch(ulong address, int length)
    {
        var bytes = new byte[length];
        _qtest.Read(address, bytes);
        return bytes;
    }

    /// <summary>Fills a scratch range, so that what a call writes there can be told apart.</summary>
    public void FillScratch(ulong address, int length, byte value) => _qtest.Fill(address, length, value);

    /// <summary>Counts the time until disposal as the platform's: the qtest exchanges of a call.</summary>
    private ClockScope PlatformClock() => new(_platformTime);

    private RtasStatus WithBuffer(Span<byte> buffer, string service, ReadOnlySpan<uint> arguments)
    {
        if (buffer.Length > PageSize)
        {
            throw new ArgumentException("event buffers are at most one page here");
        }

        // The caller's bytes go in first: what the platform does not write must come back unchanged.
        using (PlatformClock())
        {
            _qtest.Write(BufferAddress, buffer);
        }

        RtasStatus status = Call(service, arguments, stackalloc uint[1]);
        using (PlatformClock())
        {
            _qtest.Read(BufferAddress, buffer);
        }

        return status;
    }

    private RtasStatus Call(string service, ReadOnlySpan<uint> arguments, Span<uint> rets)
    {
        if (!Exchange(service, arguments, rets))
        {
            // The same answer a token the kernel does not know gets: a parameter error.
            return RtasStatus.ParameterError;
        }

        return new RtasStatus(unchecked((int)rets[0]));
    }

    private bool Exchange(string service, ReadOnlySpan<uint> arguments, Span<uint> rets)
    {
        Calls++;
        int cells = arguments.Length + rets.Length;
        Span<byte> block = stackalloc byte[cells * 4];
        block.Clear();
        for (int i = 0; i < arguments.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(block[(i * 4)..], arguments[i]);
        }

        ulong retsAddress = ArgumentsAddress + (ulong)(arguments.Length * 4);
        using (PlatformClock())
        {
            _qtest.Write(ArgumentsAddress, block);
            ulong dispatched = _qtest.Rtas(service, arguments.Length, ArgumentsAddress, rets.Length, retsAddress);
            if (dispatched == QtestClient.UnknownService)
            {
                return false;
            }

            if (dispatched != 0)
            {
                throw new QemuException(QemuProblem.Protocol, $"qtest rtas {service} answered {dispatched}");
            }

            _qtest.Read(retsAddress, block[(arguments.Length * 4)..]);
        }

        for (int i = 0; i < rets.Length; i++)
        {
            rets[i] = BinaryPrimitives.ReadUInt32BigEndian(block[((arguments.Length + i) * 4)..]);
        }

        return true;
    }

    private readonly struct ClockScope : IDisposable
    {
        private readonly Stopwatch _clock;

        public ClockScope(Stopwatch clock)
        {
            _clock = clock;
            clock.Start();
        }

        public void Dispose() => _clock.Stop();
    }
}
