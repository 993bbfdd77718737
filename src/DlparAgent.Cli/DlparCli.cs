using System.CommandLine;
using DlparAgent.Cli.Decode;
using DlparAgent.Cli.Agent;
using DlparAgent.Cli.Drmgr;
using DlparAgent.Cli.Infrastructure;
using DlparAgent.Cli.Lsslot;
using DlparAgent.Cli.Platform;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Cli;

/// <summary>The <c>dlpar</c> command line: parses, runs one command, maps failures to one stderr line and an exit code.</summary>
internal static class DlparCli
{
    public static int Run(string[] args, CliContext context)
    {
        // drmgr's own getopt-style command line, untouched by System.CommandLine ("dlpar [--state-dir DIR] drmgr ARGS").
        if (args.Length > 0 && args[0] == "drmgr")
        {
            return DrmgrCommand.Run(args[1..], context, null);
        }

        if (args.Length > 2 && args[0] == "--state-dir" && args[2] == "drmgr")
        {
            return DrmgrCommand.Run(args[3..], context, args[1]);
        }

        if (args.Length > 0 && args[0] == "lsslot")
        {
            return LsslotCommand.Run(args[1..], context, null);
        }

        if (args.Length > 2 && args[0] == "--state-dir" && args[2] == "lsslot")
        {
            return LsslotCommand.Run(args[3..], context, args[1]);
        }

        Option<string?> stateDir = StateDirectoryOption.Create();
        var root = new RootCommand("dlpar: dynamic reconfiguration (DLPAR) agent for IBM Power partitions")
        {
            stateDir,
            DecodeCommand.Create(context),
            PlatformCommand.Create(context, stateDir),
        };
        foreach (Command command in AgentCommands.Create(context, stateDir))
        {
            root.Subcommands.Add(command);
        }

        ParseResult parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            context.Error.WriteLine($"dlpar: {string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')))}");
            context.Error.WriteLine("Try 'dlpar --help'.");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (CliException error)
        {
            context.Error.WriteLine($"dlpar: {error.Message}");
            return error.ExitCode;
        }
        catch (StateFileException error)
        {
            context.Error.WriteLine($"dlpar: {error.Message}");
            return PlatformSession.ExitCodeOf(error);
        }
        catch (DlparFormatException error)
        {
            context.Error.WriteLine($"dlpar: {error.Message}");
            return ExitCodes.DataError;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("dlpar: interrupted");
            return ExitCodes.Refused;
        }
        catch (KernelException error)
        {
            context.Error.WriteLine($"dlpar: {error.Message}");
            return ExitCodes.Refused;
        }
        catch (IOException error)
        {
            context.Error.WriteLine($"dlpar: {error.Message}");
            return ExitCodes.IoError;
        }
    }
}
