using DlparAgent.Cli;
using DlparAgent.Cli.Drmgr;
using DlparAgent.Cli.Infrastructure;
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

return DlparCli.Run(args, CliContext.FromConsole());
