using DlparAgent.Cli;
using DlparAgent.Cli.Infrastructure;

return DlparCli.Run(args, CliContext.FromConsole());
