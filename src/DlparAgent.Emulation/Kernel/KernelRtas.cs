using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Emulation.Kernel;

/// <summary>
/// The RTAS sequences Linux's <c>dlpar.c</c> runs for in-kernel DLPAR: acquire, release,
/// unisolate and configure-connector into detached nodes. Busy and extended-delay answers are
/// retried as <c>rtas_busy_delay()</c> does (without sleeping: the emulated firmware is instant).
/// </summary>
internal sealed class KernelRtas(IRtas rtas)
{
    private const int MaxRetries = 100_000;

    // One work area for every connector the kernel configures (a large add configures 262,144).
    private readonly byte[] _workArea = new byte[ConfigureConnectorWorkArea.Size];

    /// <summary><c>dlpar_acquire_drc</c>: sense must be unusable (else -1); usable; unisolate (undo on failure).</summary>
    public int Acquire(uint index)
    {
        RtasResult sense = Retry(() => rtas.GetSensorState(DrIndicators.EntitySense, index));
        if (!sense.Status.IsSuccess || sense.Value != DrIndicators.SenseUnusable)
        {
            return -1;
        }

        RtasStatus status = Retry(() => rtas.SetIndicator(DrIndicators.AllocationState, index, DrIndicators.Usable));
        if (!status.IsSuccess)
        {
            return status.Value;
        }

        status = Retry(() => rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Unisolate));
        if (!status.IsSuccess)
        {
            Retry(() => rtas.SetIndicator(DrIndicators.AllocationState, index, DrIndicators.Unusable));
            return status.Value;
        }

        return 0;
    }

    /// <summary><c>dlpar_release_drc</c>: sense must be present (else -1); isolate; unusable (unisolate again on failure).</summary>
    public int Release(uint index)
    {
        RtasResult sense = Retry(() => rtas.GetSensorState(DrIndicators.EntitySense, index));
        if (!sense.Status.IsSuccess || sense.Value != DrIndicators.SensePresent)
        {
            return -1;
        }

        RtasStatus status = Retry(() => rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Isolate));
        if (!status.IsSuccess)
        {
            return status.Value;
        }

        status = Retry(() => rtas.SetIndicator(DrIndicators.AllocationState, index, DrIndicators.Unusable));
        if (!status.IsSuccess)
        {
            Retry(() => rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Unisolate));
            return status.Value;
        }

        return 0;
    }

    /// <summary><c>dlpar_unisolate_drc</c>: tells the hypervisor a removal failed.</summary>
    public void Unisolate(uint index)
    {
        RtasResult sense = Retry(() => rtas.GetSensorState(DrIndicators.EntitySense, index));
        if (sense.Status.IsSuccess && sense.Value == DrIndicators.SensePresent)
        {
            Retry(() => rtas.SetIndicator(DrIndicators.IsolationState, index, DrIndicators.Unisolate));
        }
    }

    /// <summary><c>dlpar_configure_connector</c>: the connector's nodes, detached; errors carry an errno.</summary>
    public DtNode ConfigureConnector(uint index)
    {
        byte[] workArea = _workArea;
        ConfigureConnectorWorkArea.Initialize(workArea, index);
        DtNode? root = null;
        var stack = new Stack<DtNode>();
        for (int calls = 0; calls < MaxRetries; calls++)
        {
            RtasStatus status = rtas.ConfigureConnector(workArea, []);
            if (status.IsRetry)
            {
                continue;
            }

            ConfigureConnectorStep step;
            try
            {
                step = ConfigureConnectorWorkArea.ReadStep(workArea, status.Value);
            }
            catch (DlparFormatException error)
            {
                throw new KernelException(Errno.EIO, $"configure-connector for 0x{index:x8}: {error.Message}");
            }

            switch (status.Value)
            {
                case ConfigureConnectorStatus.NextChild:
                case ConfigureConnectorStatus.NextSibling:
                    if (status.Value == ConfigureConnectorStatus.NextSibling && stack.Count > 0)
                    {
                        stack.Pop();
                    }

                    var node = new DtNode(step.Name!);
                    if (root is null)
                    {
                        root = node;
                    }
                    else if (stack.Count == 0)
                    {
                        throw new KernelException(Errno.EIO, $"configure-connector for 0x{index:x8} returned a second top-level node");
                    }
                    else
                    {
                        stack.Peek().AddChild(node);
                    }

                    stack.Push(node);
                    break;
                case ConfigureConnectorStatus.NextProperty when stack.Count > 0:
                    stack.Peek().SetProperty(new DtProperty(step.Name!, step.Value.Span));
                    break;
                case ConfigureConnectorStatus.PreviousParent when stack.Count > 0:
                    stack.Pop();
                    break;
                case ConfigureConnectorStatus.Complete when root is not null:
                    return root;
                default:
                    throw new KernelException(status.IsError ? KernelException.FromRtas(status) : Errno.EIO,
                        $"configure-connector for 0x{index:x8} answered {status.Value} ({ConfigureConnectorStatus.Describe(status.Value)})");
            }
        }

        throw new KernelException(Errno.EIO, $"configure-connector for 0x{index:x8} did not complete");
    }

    private static RtasStatus Retry(Func<RtasStatus> call)
    {
        RtasStatus status = call();
        for (int i = 0; status.IsRetry && i < MaxRetries; i++)
        {
            status = call();
        }

        return status;
    }

    private static RtasResult Retry(Func<RtasResult> call)
    {
        RtasResult result = call();
        for (int i = 0; result.Status.IsRetry && i < MaxRetries; i++)
        {
            result = call();
        }

        return result;
    }
}
