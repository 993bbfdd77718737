using System.CommandLine;
using DlparAgent.Cli.Decode;
using DlparAgent.Cli.Agent;
using DlparAgent.Cli.Drmgr;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Cli.Inventory;
using DlparAgent.Cli.Lsslot;
using DlparAgent.Cli.Platform;
using DlparAgent.Core.Failures;

namespace DlparAgent.Cli;

/// <summary>The <c>dlpar</c> command line: parses, runs one command, maps failures to one stderr line and an exit code.</summary>
internal static class DlparCli
{
    public static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return RunCommand(args, context);
        }
        finally
        {
            context.ReleaseHosts();
        }
    }

    private static int RunCommand(string[] args, CliContext context)
    {
        // drmgr's and lsslot's own getopt-style command lines, untouched by System.CommandLine
        // ("dlpar [--state-dir DIR] [--platform P] drmgr|lsslot ARGS").
        int first = 0;
        string? personalityStateDir = null, personalityPlatform = null;
        while (first < args.Length && GlobalOption(args, ref first) is (string name, string value))
        {
            if (name == "--state-dir")
            {
                personalityStateDir = value;
            }
            else
            {
                personalityPlatform = value;
            }
        }

        if (first < args.Length && args[first] is "drmgr" or "lsslot")
        {
            return args[first] == "drmgr"
                ? DrmgrCommand.Run(args[(first + 1)..], context, personalityStateDir, personalityPlatform)
                : LsslotCommand.Run(args[(first + 1)..], context, personalityStateDir, personalityPlatform);
        }

        var g = GlobalOptions.Create();
        var root = new RootCommand("dlpar: dynamic reconfiguration (DLPAR) agent for IBM Power partitions")
        {
            g.StateDir,
            g.Platform,
            g.Json,
            DecodeCommand.Create(context, g),
            DoctorCommand.Create(context, g),
            PlatformCommand.Create(context, g),
        };
        foreach (string personality in (string[])["drmgr", "lsslot"])
        {
            // Listed for help and completion; their getopt command lines are run before parsing, above.
            var command = new Command(personality, $"{personality}-compatible command line (see {personality}(8)); global options go before it");
            command.SetAction(int (_) => throw new CliException(FailureCategory.Usage,
                $"put the global options before '{personality}': dlpar [--state-dir DIR] [--platform P] {personality} ARGS"));
            root.Subcommands.Add(command);
        }

        foreach (Command command in AgentCommands.Create(context, g).Concat(InventoryCommands.Create(context, g)))
        {
            root.Subcommands.Add(command);
        }

        ParseResult parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        bool json = args.Contains("--json");
        if (parse.Errors.Count > 0)
        {
            return Fail(context, json, string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.'))), ExitCodes.Usage, "Try 'dlpar --help'.");
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
        catch (Exception error) when (DlparAgentException.CategoryOf(error) is { } category)
        {
            return Fail(context, json, error is OperationCanceledException ? "interrupted" : IoFailures.Message(error), ExitCodes.Of(category));
        }
    }

    /// <summary>One line on stderr; with <c>--json</c> also the error document on stdout, so a consumer always gets one document.</summary>
    private static int Fail(CliContext context, bool json, string message, int exitCode, string? hint = null)
    {
        context.Error.WriteLine($"dlpar: {message}");
        if (hint is not null)
        {
            context.Error.WriteLine(hint);
        }

        if (json)
        {
            JsonOutput.Error(context.Out, message, exitCode);
        }

        return exitCode;
    }

    /// <summary>Reads one leading <c>--state-dir</c> or <c>--platform</c> (separate or <c>=</c> value); null when the next word is neither.</summary>
    private static (string Name, string Value)? GlobalOption(string[] args, ref int index)
    {
        foreach (string name in (string[])["--state-dir", "--platform"])
        {
            if (args[index] == name && index + 1 < args.Length)
            {
                index += 2;
                return (name, args[index - 1]);
            }

            if (args[index].StartsWith(name + "=", StringComparison.Ordinal))
            {
                index += 1;
                return (name, args[index - 1][(name.Length + 1)..]);
            }
        }

        return null;
    }
}
