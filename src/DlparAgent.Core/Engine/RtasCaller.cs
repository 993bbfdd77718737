using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Engine;

/// <summary>
/// RTAS calls as PAPR asks callers to make them: -2 (busy) is called again at once, 990x after
/// 10^x ms; until the operation's deadline or cancellation, which end the retries (not the connector). Counts the calls made.
/// </summary>
public sealed class RtasCaller(IRtas rtas, EngineOptions options, DateTimeOffset? deadline, CancellationToken cancellation)
{
    public IRtas Rtas { get; } = rtas;

    public long Calls { get; private set; }

    public RtasResult GetSensorState(uint sensor, uint index) => Call(() => Rtas.GetSensorState(sensor, index));

    public RtasStatus SetIndicator(uint indicator, uint index, uint value) => Call(() => new RtasResult(Rtas.SetIndicator(indicator, index, value), 0)).Status;

    public RtasResult SetPowerLevel(uint domain, uint level) => Call(() => Rtas.SetPowerLevel(domain, level));

    /// <summary>
    /// configure-connector on the first page of <paramref name="pages"/>; with <paramref name="extended"/>
    /// the second page is offered as the extension the platform asked for with status 5.
    /// </summary>
    public RtasStatus ConfigureConnector(byte[] pages, bool extended) => Call(() => new RtasResult(
        Rtas.ConfigureConnector(pages.AsSpan(0, ConfigureConnectorWorkArea.Size), extended ? pages.AsSpan(ConfigureConnectorWorkArea.Size,
            ConfigureConnectorWorkArea.Size) : []), 0)).Status;

    /// <summary>Throws when the deadline has passed or the operation was cancelled.</summary>
    public void CheckDeadline()
    {
        cancellation.ThrowIfCancellationRequested();
        if (deadline is { } limit && options.Clock.GetUtcNow() >= limit)
        {
            throw new TimeoutException("the operation's time limit was reached");
        }
    }

    private bool StopRequested() => cancellation.IsCancellationRequested || deadline is { } limit && options.Clock.GetUtcNow() >= limit;

    private RtasResult Call(Func<RtasResult> call)
    {
        for (int busy = 0; ; busy++)
        {
            Calls++;
            RtasResult result = call();
            // A signal or the time limit ends the retries, not the connector: its step sees the
            // busy status as a failure and undoes itself, so no connector is left half-done.
            if (!result.Status.IsRetry || busy >= options.MaxBusyRetries || StopRequested())
            {
                return result;
            }

            if (result.Status.IsExtendedDelay)
            {
                options.Sleep(result.Status.RetryDelay);
            }
        }
    }
}
