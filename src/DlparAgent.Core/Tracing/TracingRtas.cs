using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Tracing;

/// <summary>An <see cref="IRtas"/> that records every call it passes on.</summary>
public sealed class TracingRtas(IRtas inner, OperationTrace trace) : IRtas
{
    public bool HasService(string name) => inner.HasService(name);

    public RtasResult GetSensorState(uint sensor, uint index)
    {
        RtasResult result = inner.GetSensorState(sensor, index);
        trace.Add(new RtasCallStep(RtasServices.GetSensorState, [sensor, index], result.Status.Value, [result.Value]));
        return result;
    }

    public RtasStatus SetIndicator(uint indicator, uint index, uint value)
    {
        RtasStatus status = inner.SetIndicator(indicator, index, value);
        trace.Add(new RtasCallStep(RtasServices.SetIndicator, [indicator, index, value], status.Value, []));
        return status;
    }

    public RtasResult GetPowerLevel(uint domain)
    {
        RtasResult result = inner.GetPowerLevel(domain);
        trace.Add(new RtasCallStep(RtasServices.GetPowerLevel, [domain], result.Status.Value, [result.Value]));
        return result;
    }

    public RtasResult SetPowerLevel(uint domain, uint level)
    {
        RtasResult result = inner.SetPowerLevel(domain, level);
        trace.Add(new RtasCallStep(RtasServices.SetPowerLevel, [domain, level], result.Status.Value, [result.Value]));
        return result;
    }

    public RtasStatus ConfigureConnector(Span<byte> workArea, Span<byte> extension)
    {
        uint index = ConfigureConnectorWorkArea.ReadDrcIndex(workArea);
        RtasStatus status = inner.ConfigureConnector(workArea, extension);
        string? note = null;
        if (status.Value is ConfigureConnectorStatus.NextChild or ConfigureConnectorStatus.NextSibling or ConfigureConnectorStatus.NextProperty)
        {
            try
            {
                ConfigureConnectorStep step = ConfigureConnectorWorkArea.ReadStep(workArea, status.Value);
                note = status.Value == ConfigureConnectorStatus.NextProperty ? $"property {step.Name}, {step.Value.Length} bytes" : $"node {step.Name}";
            }
            catch (DlparFormatException error)
            {
                // The engine reports the bad reply; the trace only notes it.
                note = "unreadable work area: " + error.Message;
            }
        }
        else if (status.Value >= 0)
        {
            note = ConfigureConnectorStatus.Describe(status.Value);
        }

        trace.Add(new RtasCallStep(RtasServices.ConfigureConnector, [index], status.Value, [], note));
        return status;
    }

    public RtasStatus CheckException(uint vector, uint extendedInfo, uint mask, Span<byte> buffer)
    {
        RtasStatus status = inner.CheckException(vector, extendedInfo, mask, buffer);
        trace.Add(new RtasCallStep(RtasServices.CheckException, [vector, extendedInfo, mask, (uint)buffer.Length], status.Value, []));
        return status;
    }

    public RtasStatus EventScan(uint mask, Span<byte> buffer)
    {
        RtasStatus status = inner.EventScan(mask, buffer);
        trace.Add(new RtasCallStep(RtasServices.EventScan, [mask, (uint)buffer.Length], status.Value, []));
        return status;
    }
}
