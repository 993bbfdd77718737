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

    public static void WriteJson(TextWriter output, ParsedRequest parsed) => JsonOutput.Write(output, json =>
    {
        DlparRequest request = parsed.Request;
        json.WriteStartObject();
        json.WriteString("request", parsed.Normalized);
        json.WriteString("resource", RequestGrammar.ResourceWord(request.Resource));
        json.WriteString("action", request.Action == DlparAction.Add ? "add" : "remove");
        json.WriteStartObject("target");
        switch (request.Target)
        {
            case DlparTarget.ByCount count:
                json.WriteString("type", "count");
                json.WriteNumber("count", count.Count);
                break;
            case DlparTarget.ByIndex index:
                json.WriteString("type", "index");
                json.WriteString("index", JsonOutput.Hex32(index.Index));
                break;
            case DlparTarget.ByIndexedCount indexed:
                json.WriteString("type", "indexed-count");
                json.WriteNumber("count", indexed.Count);
                json.WriteString("index", JsonOutput.Hex32(indexed.FirstIndex));
                break;
            case DlparTarget.ByName name:
                json.WriteString("type", "name");
                json.WriteString("name", name.Name);
                break;
        }

        json.WriteEndObject();
        json.WriteBoolean("kernelAccepts", parsed.Kernel.Accepted);
        if (parsed.Kernel.Accepted)
        {
            json.WriteString("kernelRequest", KernelDlparGrammar.Format(parsed.Kernel.Request!));
            json.WriteNull("kernelReason");
        }
        else
        {
            json.WriteNull("kernelRequest");
            json.WriteString("kernelReason", parsed.Kernel.Reason);
        }

        json.WriteEndObject();
    });
}
