using System.CommandLine;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Hosting;
using DlparAgent.Linux;
using DlparAgent.Linux.Diagnostics;

namespace DlparAgent.Cli.Agent;

/// <summary><c>dlpar doctor</c>: what the real backend finds on this system, and what will work.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context, GlobalOptions g)
    {
        var command = new Command("doctor",
            "Check this system for the real backend (root, RTAS, RMO buffer, /dev/mem, lockdown, kernel DLPAR, rpadlpar, rpaphp, PAPR devices, error log, " +
                "rtas_errd) and say what will work");
        command.SetAction(r =>
        {
            Doctor doctor = context.Host("dlpar", r.GetValue(g.Platform), r.GetValue(g.StateDir), announce: false).OpenDoctor();
            DoctorReport report = doctor.Examine();
            if (r.GetValue(g.Json))
            {
                static DoctorCheckDocument Document(DoctorCheck check) => new(check.Name, Word(check.Status), check.Detail);
                JsonOutput.Write(context.Out, new DoctorDocument(report.AllOk, [.. report.Checks.Select(Document)], [.. report.Verdicts.Select(Document)]),
                    JsonOutput.Documents.DoctorDocument);
            }
            else
            {
                foreach (DoctorCheck check in report.Checks)
                {
                    context.Out.WriteLine($"{Word(check.Status),-8}{check.Name,-14}{check.Detail}");
                }

                context.Out.WriteLine();
                foreach (DoctorCheck verdict in report.Verdicts)
                {
                    string what = verdict.Name == "events" ? "dlpard events" : verdict.Name + " DLPAR";
                    context.Out.WriteLine($"{what,-14}{(verdict.Status == CheckStatus.Ok ? "works" : "will not work")}: {verdict.Detail}");
                }
            }

            return report.AllOk ? ExitCodes.Success : ExitCodes.Refused;
        });
        return command;
    }

    private static string Word(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "ok",
        CheckStatus.Warning => "warning",
        _ => "problem",
    };
}
