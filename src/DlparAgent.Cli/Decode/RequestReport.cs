using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Cli.Output;
using DlparAgent.Core.Requests;

namespace DlparAgent.Cli.Decode;

/// <summary><c>dlpar decode request</c>: the normalized request and the kernel's verdict on the same text.</summary>
internal static class RequestReport
{
    public static void WriteText(TextWriter output, ParsedRequest parsed)
    {
        output.WriteLine($"request: {parsed.Normalized}");
        output.WriteLine(parsed.Kernel.Accepted
            ? $"kernel:  accepted by /sys/kernel/dlpar as '{KernelDlparGrammar.Format(parsed.Kernel.Request!)}'"
            : $"kernel:  not accepted by /sys/kernel/dlpar ({parsed.Kernel.Reason}); the agent does this request itself");
    }

    public static void WriteJson(TextWriter output, ParsedRequest parsed) =>
        JsonOutput.Write(output, RequestDocument.From(parsed), JsonOutput.Documents.RequestDocument);
}
