using DlparAgent.Core.Failures;
using DlparAgent.Service.Platforms;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace DlparAgent.Service.Events;

/// <summary>
/// The service: settles any journaled operation first, then handles the error log's records one
/// at a time, in order, telling systemd its status (READY when recovered, STATUS per event).
/// </summary>
internal sealed class EventService(IServicePlatform platform, EventDispatcher dispatcher, ILogger<EventService> logger, IHostApplicationLifetime lifetime,
    ISystemdNotifier? notifier = null) : BackgroundService
{
    private int _handled;

    /// <summary>Recovery runs before the host reports started, so systemd's READY=1 means "recovered and listening".</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        string version = typeof(EventService).Assembly.GetName().Version?.ToString(3) ?? "?";
        string description = platform.Description;
        ServiceLog.Started(logger, version, description);
        try
        {
            IReadOnlyList<string> report = platform.Run(engine => engine.Recover());
            foreach (string line in report)
            {
                ServiceLog.Recovered(logger, line);
            }
        }
        catch (Exception error) when (DlparAgentException.CategoryOf(error) is not null)
        {
            string message = IoFailures.Message(error);
            ServiceLog.RecoveryFailed(logger, message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
            return Task.CompletedTask;
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        Status("waiting for events");
        try
        {
            await foreach (ServiceEvent serviceEvent in platform.Events(stoppingToken).ConfigureAwait(false))
            {
                EventOutcome outcome = dispatcher.Handle(serviceEvent);
                _handled++;
                Status($"{_handled} events handled; last: {outcome.Kind.ToString().ToLowerInvariant()} {outcome.Description}");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception error) when (DlparAgentException.CategoryOf(error) is not null)
        {
            string message = IoFailures.Message(error);
            ServiceLog.SourceFailed(logger, message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private void Status(string text) => notifier?.Notify(new ServiceState("STATUS=" + text));
}
