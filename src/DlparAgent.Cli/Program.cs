using System.Text;
using DlparAgent.Cli;
using DlparAgent.Cli.Drmgr;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Lsslot;

// One executable, several personalities: invoked as drmgr (a symlink) it is drmgr; "dlpar drmgr ARGS" does the same.
string invokedAs = InvocationName.Get();
if (invokedAs is "drmgr")
{
    return DrmgrCommand.Run(args, CliContext.FromConsole(), null, null);
}

if (invokedAs is "lsslot")
{
    return LsslotCommand.Run(args, CliContext.FromConsole(), null, null);
}

// dlpar's listings can run to a quarter of a million lines: stdout is written in blocks, not a write(2) per line.
using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { AutoFlush = false };
try
{
    return DlparCli.Run(args, CliContext.FromConsole() with { Out = output });
}
finally
{
    output.Flush();
}
