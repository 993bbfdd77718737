using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Formats.Fdt;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Firmware;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Management;

namespace DlparAgent.Emulation;

/// <summary>
/// The emulated PAPR platform: a pseries partition's firmware and hypervisor side, in process.
/// RTAS is reachable typed (<see cref="IRtas"/>) or raw (<see cref="Dispatch"/>, with QEMU's
/// argument checks); both pass the fault-injection rules first. <see cref="Management"/> is what
/// the hypervisor or HMC does.
/// </summary>
public sealed class EmulatedPlatform : IRtas
{
    private readonly PaprFirmware _firmware;

    public EmulatedPlatform(MachineState state, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        State = state;
        _firmware = new PaprFirmware(state);
        Management = new PlatformManager(state, _firmware, time ?? TimeProvider.System);
    }

    public MachineState State { get; }

    public PlatformManager Management { get; }

    /// <summary>Creates a new machine from a profile (connectors, boot devices, CAS per the profile).</summary>
    public static EmulatedPlatform Create(MachineProfile profile, TimeProvider? time = null)
    {
        var platform = new EmulatedPlatform(new MachineState(profile), time);
        MachineFactory.Populate(platform.State, platform.Management);
        return platform;
    }

    /// <summary>The device tree the guest was given at the last reset or CAS.</summary>
    public FlattenedDeviceTree ReadBootTree() => FdtReader.Read(State.BootTree);

    /// <summary>The token of a service, as <c>/rtas/&lt;name&gt;</c> publishes it.</summary>
    public static uint? TokenOf(string service) => RtasTokens.TokenOf(service);

    public bool HasService(string name) => RtasTokens.TokenOf(name) is not null;

    public RtasResult GetSensorState(uint sensor, uint index) =>
        Inject(RtasServices.GetSensorState, index, sensor) is { } fault ? new RtasResult(fault, 0) : _firmware.GetSensorState(sensor, index);

    public RtasStatus SetIndicator(uint indicator, uint index, uint value) =>
        Inject(RtasServices.SetIndicator, index, indicator) ?? _firmware.SetIndicator(indicator, index, value);

    public RtasResult GetPowerLevel(uint domain) =>
        Inject(RtasServices.GetPowerLevel, null, null) is { } fault ? new RtasResult(fault, 0) : _firmware.GetPowerLevel(domain);

    public RtasResult SetPowerLevel(uint domain, uint level) =>
        Inject(RtasServices.SetPowerLevel, null, null) is { } fault ? new RtasResult(fault, 0) : _firmware.SetPowerLevel(domain, level);

    public RtasStatus ConfigureConnector(Span<byte> workArea, Span<byte> extension)
    {
        uint? index = workArea.Length >= 4 ? ConfigureConnectorWorkArea.ReadDrcIndex(workArea[..ConfigureConnectorWorkArea.DataOffset]) : null;
        return Inject(RtasServices.ConfigureConnector, index, null) ?? _firmware.ConfigureConnector(workArea, extension);
    }

    public RtasStatus CheckException(uint vector, uint extendedInfo, uint mask, Span<byte> buffer) =>
        Inject(RtasServices.CheckException, null, null) ?? _firmware.CheckException(mask, buffer);

    public RtasStatus EventScan(uint mask, Span<byte> buffer) =>
        Inject(RtasServices.EventScan, null, null) ?? _firmware.EventScan();

    /// <summary>
    /// One raw call, checked as QEMU checks it: unknown tokens and wrong argument counts answer -3;
    /// buffers are addressed in <paramref name="memory"/>. Outputs land in the frame after the inputs.
    /// </summary>
    public RtasStatus Dispatch(RtasCallFrame frame, IGuestMemory memory)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(memory);
        uint[] w = frame.Words;
        int nargs = frame.InputCount;
        int nret = frame.OutputCount;
        string? service = RtasTokens.NameOf(frame.Token);
        RtasResult result = service switch
        {
            RtasServices.GetSensorState when nargs == 2 && nret == 2 => GetSensorState(w[0], w[1]),
            RtasServices.SetIndicator when nargs == 3 && nret == 1 => new(SetIndicator(w[0], w[1], w[2]), 0),
            RtasServices.GetPowerLevel when nargs == 1 && nret == 2 => GetPowerLevel(w[0]),
            RtasServices.SetPowerLevel when nargs == 2 && nret == 2 => SetPowerLevel(w[0], w[1]),
            RtasServices.ConfigureConnector when nargs == 2 && nret == 1 => new(RawConfigureConnector(w[0], w[1], memory), 0),
            RtasServices.CheckException when nargs is 6 or 7 && nret == 1 => new(RawCheckException(w[2], w[4], w[5], memory), 0),
            RtasServices.EventScan when nargs == 4 && nret == 1 => new(EventScan(w[0], []), 0),
            RtasServices.StartCpu when nargs == 3 && nret == 1 => new(RtasStatus.Success, 0),
            RtasServices.StopSelf when nargs == 0 && nret == 1 => new(RtasStatus.Success, 0),
            RtasServices.QueryCpuStoppedState when nargs == 1 && nret == 2 => QueryCpuStoppedState(w[0]),
            _ => new(RtasStatus.ParameterError, 0),
        };

        if (nret >= 1 && nargs + nret <= RtasCallFrame.MaxWords)
        {
            w[nargs] = unchecked((uint)result.Status.Value);
            if (nret >= 2)
            {
                w[nargs + 1] = result.Value;
            }
        }

        return result.Status;
    }

    private RtasStatus RawConfigureConnector(uint arg0, uint arg1, IGuestMemory memory)
    {
        // QEMU builds the address as (arg1 << 32) | arg0, so only a zero extension works there;
        // LoPAR (strict) takes arg1 as the address of an extra page.
        bool strict = State.Profile.Strict;
        ulong address = strict ? arg0 : ((ulong)arg1 << 32) | arg0;
        if (!memory.TryGetSpan(address, ConfigureConnectorWorkArea.Size, out Span<byte> workArea))
        {
            return RtasStatus.ParameterError;
        }

        Span<byte> extension = default;
        if (strict && arg1 != 0 && !memory.TryGetSpan(arg1, ConfigureConnectorWorkArea.Size, out extension))
        {
            return RtasStatus.ParameterError;
        }

        return ConfigureConnector(workArea, extension);
    }

    private RtasStatus RawCheckException(uint mask, uint buffer, uint length, IGuestMemory memory) =>
        memory.TryGetSpan(buffer, (int)Math.Min(length, 64 * 1024), out Span<byte> span)
            ? CheckException(0x500, 0, mask, span)
            : RtasStatus.ParameterError;

    private RtasResult QueryCpuStoppedState(uint cpu) =>
        State.Devices.OfType<Devices.CpuCoreDevice>().Any(c => cpu >= c.CoreId && cpu < c.CoreId + c.Threads)
            ? new RtasResult(RtasStatus.Success, 2)
            : new RtasResult(RtasStatus.ParameterError, 0);

    private RtasStatus? Inject(string service, uint? drc, uint? indicator)
    {
        RtasStatus? injected = null;
        foreach (FaultRule rule in State.Faults)
        {
            if (rule.Evaluate(service, drc, indicator) is { } status && injected is null)
            {
                injected = status;
            }
        }

        return injected;
    }
}
