using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>
/// The connector sequences of PAPR DR (LoPAR; drmgr's <c>acquire_drc</c>/<c>release_drc</c>):
/// acquire = sense unusable → usable → unisolate; release = isolate → unusable; and
/// configure-connector into a node tree. Each undoes its own partial work before it throws.
/// </summary>
public sealed class DrSequences(RtasCaller rtas)
{
    private readonly byte[] _pages = new byte[2 * ConfigureConnectorWorkArea.Size];

    public RtasCaller Rtas { get; } = rtas;

    public uint Sense(uint index)
    {
        RtasResult sense = Rtas.GetSensorState(DrIndicators.EntitySense, index);
        return sense.Status.IsSuccess ? sense.Value : throw new RtasCallException("get-sensor-state", index, sense.Status);
    }

    /// <summary>Logical connectors: sense must be unusable; allocation usable; unisolate (undone on failure).</summary>
    public void Acquire(uint index)
    {
        uint sense = Sense(index);
        if (sense != DrIndicators.SenseUnusable)
        {
            throw new RtasCallException($"entity sense is {sense}, not unusable:", index, RtasStatus.ParameterError);
        }

        Indicator(DrIndicators.AllocationState, index, DrIndicators.Usable, "allocation usable");
        RtasStatus unisolate = Rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Unisolate);
        if (!unisolate.IsSuccess)
        {
            Rtas.SetIndicator(DrIndicators.AllocationState, index, DrIndicators.Unusable);
            throw new RtasCallException("unisolate", index, unisolate);
        }
    }

    /// <summary>
    /// Logical connectors: isolate; allocation unusable. A connector left unisolated by a failed
    /// configure-connector refuses isolation (-3 under QEMU) until its walk completes, so the walk
    /// is finished first. If unusable fails, the connector is unisolated and configured again, so
    /// it stays fully owned.
    /// </summary>
    public void Release(uint index)
    {
        RtasStatus isolate = Rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Isolate);
        if (isolate == RtasStatus.ParameterError && FinishWalk(index))
        {
            isolate = Rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Isolate);
        }

        if (!isolate.IsSuccess)
        {
            throw new RtasCallException("isolate", index, isolate);
        }

        RtasStatus unusable = Rtas.SetIndicator(DrIndicators.AllocationState, index, DrIndicators.Unusable);
        if (!unusable.IsSuccess)
        {
            Rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Unisolate);
            FinishWalk(index);
            throw new RtasCallException("allocation unusable", index, unusable);
        }
    }

    /// <summary>
    /// Runs configure-connector until it completes and discards the nodes: it takes an unisolated
    /// connector to configured, and on a configured one merely repeats the walk. Sensors cannot
    /// tell the two states apart, so this is how the agent makes sure.
    /// </summary>
    public bool FinishWalk(uint index)
    {
        byte[] pages = new byte[2 * ConfigureConnectorWorkArea.Size];
        ConfigureConnectorWorkArea.Initialize(pages, index);
        bool extended = false;
        for (int calls = 0; calls < 100_000; calls++)
        {
            RtasStatus status = Rtas.ConfigureConnector(pages, extended);
            if (status.Value == ConfigureConnectorStatus.NeedMoreMemory && !extended)
            {
                extended = true;
                continue;
            }

            if (status.Value is ConfigureConnectorStatus.Complete)
            {
                return true;
            }

            if (status.Value is not (ConfigureConnectorStatus.NextSibling or ConfigureConnectorStatus.NextChild
                or ConfigureConnectorStatus.NextProperty or ConfigureConnectorStatus.PreviousParent))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Takes a connector the OS keeps back to configured: unisolate (a no-op when it is) and finish the walk.</summary>
    public void Reconfigure(uint index)
    {
        Rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Unisolate);
        FinishWalk(index);
    }

    /// <summary>
    /// After a path the agent does not drive step by step (the kernel, the cpu probe file): a
    /// connector the OS does not use but the firmware still gives it is released; one the OS uses
    /// is made sure to be configured.
    /// </summary>
    /// <returns>True when the OS does not use the connector and the firmware would not take it back.</returns>
    public bool ReconcileAfterKernel(uint index, bool usedByOs)
    {
        RtasResult sense = Rtas.GetSensorState(DrIndicators.EntitySense, index);
        if (!sense.Status.IsSuccess || sense.Value != DrIndicators.SensePresent)
        {
            return false;
        }

        if (usedByOs)
        {
            FinishWalk(index);
            return false;
        }

        try
        {
            Release(index);
            return false;
        }
        catch (RtasCallException)
        {
            // The firmware keeps it (QEMU refuses LMBs nobody unplugs): lent to the partition, unused.
            return true;
        }
    }

    public void Indicator(uint indicator, uint index, uint value, string step)
    {
        RtasStatus status = Rtas.SetIndicator(indicator, index, value);
        if (!status.IsSuccess)
        {
            throw new RtasCallException(step, index, status);
        }
    }

    /// <summary>Runs configure-connector to completion and returns the connector's node, detached.</summary>
    public DtNode ConfigureConnector(uint index)
    {
        // Two pages: the work area, and the extension LoPAR lets the platform ask for (status 5)
        // when a value does not fit; value offsets count from the work area's start. One buffer
        // serves every connector of the operation (a large memory operation configures 262,144).
        byte[] pages = _pages;
        ConfigureConnectorWorkArea.Initialize(pages, index);
        bool extended = false;
        DtNode? root = null;
        var open = new Stack<DtNode>();
        while (true)
        {
            RtasStatus status = Rtas.ConfigureConnector(pages, extended);
            if (status.Value == ConfigureConnectorStatus.NeedMoreMemory && !extended)
            {
                extended = true;
                continue;
            }

            ConfigureConnectorStep step = ConfigureConnectorWorkArea.ReadStep(extended ? pages : pages.AsSpan(0, ConfigureConnectorWorkArea.Size),
                status.Value);
            switch (status.Value)
            {
                case ConfigureConnectorStatus.NextSibling when open.Count > 1:
                    open.Pop();
                    open.Push(open.Peek().AddChild(step.Name!));
                    break;
                case ConfigureConnectorStatus.NextChild:
                    if (root is null)
                    {
                        open.Push(root = new DtNode(step.Name!));
                    }
                    else if (open.Count > 0)
                    {
                        open.Push(open.Peek().AddChild(step.Name!));
                    }
                    else
                    {
                        throw new RtasCallException("configure-connector (a second top-level node)", index, RtasStatus.HardwareError);
                    }

                    break;
                case ConfigureConnectorStatus.NextProperty when open.Count > 0:
                    open.Peek().SetProperty(new DtProperty(step.Name!, step.Value.Span));
                    break;
                case ConfigureConnectorStatus.PreviousParent when open.Count > 1:
                    open.Pop();
                    break;
                case ConfigureConnectorStatus.Complete when root is not null:
                    return root;
                default:
                    throw new RtasCallException("configure-connector", index, status.IsError ? status : RtasStatus.HardwareError);
            }
        }
    }

    /// <summary>Reads a configure-connector answer's node; a malformed work area is a hardware error.</summary>
    public static DtNode ReadConfiguredNode(Func<DtNode> configure, uint index)
    {
        try
        {
            return configure();
        }
        catch (DlparFormatException error)
        {
            throw new RtasCallException($"configure-connector ({error.Message})", index, RtasStatus.HardwareError);
        }
    }
}
