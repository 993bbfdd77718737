using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// Firmware that tells a test about each RTAS call before passing it on (its number from 1), so the
/// test can count calls, stop the operation or crash it at a chosen one. Event calls are not counted.
/// </summary>
internal sealed class CallbackFirmware(IRtas inner, Action<int> beforeCall) : IRtas
{
    public int Calls { get; private set; }

    public bool HasService(string name) => inner.HasService(name);

    public RtasResult GetSensorState(uint sensor, uint index) => Step(() => inner.GetSensorState(sensor, index));

    public RtasStatus SetIndicator(uint indicator, uint index, uint value) => Step(() => inner.SetIndicator(indicator, index, value));

    public RtasResult GetPowerLevel(uint domain) => Step(() => inner.GetPowerLevel(domain));

    public RtasResult SetPowerLevel(uint domain, uint level) => Step(() => inner.SetPowerLevel(domain, level));

    public RtasStatus ConfigureConnector(Span<byte> workArea, Span<byte> extension)
    {
        beforeCall(++Calls);
        return inner.ConfigureConnector(workArea, extension);
    }

    public RtasStatus CheckException(uint vector, uint extendedInfo, uint mask, Span<byte> buffer) => inner.CheckException(vector, extendedInfo, mask,
        buffer);

    public RtasStatus EventScan(uint mask, Span<byte> buffer) => inner.EventScan(mask, buffer);

    private T Step<T>(Func<T> call)
    {
        beforeCall(++Calls);
        return call();
    }
}
