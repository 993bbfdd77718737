using DlparAgent.Core.Failures;
using System.CommandLine;
using DlparAgent.Hosting;
using DlparAgent.Linux;
using DlparAgent.Linux.Diagnostics;
using DlparAgent.Service.Events;
using DlparAgent.Service.Platforms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var platformOption = new Option<string?>("--platform") { Description = "linux (this partition) or emulated (default: $DLPAR_PLATFORM, else emulated when a " +
    "state directory is given, else linux on a Power partition)" };
var stateDirOption = new Option<string?>("--state-dir") { Description = "The emulated machine's directory (default: $DLPAR_STATE_DIR, else the dlpar " +
    "default)" };
var allowOption = new Option<bool>("--allow-rtas-errd") { Description = "Start even though rtas_errd is running (each error-log record reaches only one of " +
    "the two)" };
var root = new RootCommand("dlpard: reacts to the platform's hotplug events (the rtas_errd hotplug path, " +
    "in-process)") { platformOption, stateDirOption, allowOption };
root.SetAction(async (parse, cancellation) =>
{
    AgentHost agent;
    try
    {
        agent = AgentHost.Resolve("dlpard", parse.GetValue(platformOption), parse.GetValue(stateDirOption), AgentEnvironment.FromProcess(), TextWriter.Null);
    }
    catch (HostingException error)
    {
        Console.Error.WriteLine($"dlpard: {IoFailures.Message(error)}");
        return 64;
    }

    if (agent.Selection.Kind == PlatformKind.Qemu)
    {
        // QEMU raises no event the service could wait on without polling qtest.
        Console.Error.WriteLine("dlpard: the qemu platform has no event source; use linux or emulated");
        return 64;
    }

    using AgentHost owned = agent;
    agent.Announce(Console.Error);
    bool emulated = agent.Selection.Kind == PlatformKind.Emulated;
    if (!emulated && !parse.GetValue(allowOption) && RtasErrdProcesses.Find(agent.LinuxPaths, agent.SystemCalls()) is { Length: > 0 } competitors)
    {
        Console.Error.WriteLine($"dlpard: rtas_errd is running (pid {string.Join(", ", competitors)}); error-log reads are destructive, so only one reader " +
            $"may run. Stop it (systemctl disable --now rtas_errd) or start dlpard with --allow-rtas-errd.");
        return 69;
    }

    HostApplicationBuilder builder = Host.CreateApplicationBuilder([]);
    builder.Services.AddSystemd();
    if (!Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService())
    {
        // Under systemd, AddSystemd's journald format (<6>Category[0] message) is kept.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
    }
    builder.Services.AddSingleton<IServicePlatform>(services =>
    {
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("DlparAgent.Engine");
        return emulated ? new EmulatedServicePlatform(agent, logger) : new LinuxServicePlatform(agent, logger);
    });
    builder.Services.AddSingleton(services =>
        new EventDispatcher(services.GetRequiredService<IServicePlatform>(), services.GetRequiredService<ILoggerFactory>().CreateLogger("dlpard")));
    builder.Services.AddHostedService<EventService>();
    try
    {
        using IHost host = builder.Build();
        await host.RunAsync(cancellation).ConfigureAwait(false);
    }
    catch (LinuxBackendException error)
    {
        // The backend is built with the host: a missing ABI table or RTAS stops the start.
        Console.Error.WriteLine($"dlpard: {IoFailures.Message(error)}");
        return 69;
    }

    return Environment.ExitCode;
});

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
