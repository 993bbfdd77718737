using System.Globalization;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Core.Tracing;

/// <summary>One call the agent made to the firmware or the kernel, as a dry run reports it.</summary>
public abstract record TraceStep;

/// <summary>An RTAS call: the service, its input words, the status and the output words.</summary>
/// <param name="Note">What a configure-connector call returned (node or property), or null.</param>
public sealed record RtasCallStep(string Service, IReadOnlyList<uint> Arguments, int Status, IReadOnlyList<uint> Returns, string? Note = null) : TraceStep
{
    public override string ToString()
    {
        string arguments = string.Join(' ', Arguments.Select(Word));
        string returns = Returns.Count == 0 ? string.Empty : " " + string.Join(' ', Returns.Select(Word));
        return string.Create(CultureInfo.InvariantCulture,
            $"rtas {Service} {arguments} -> {Status}{returns}{(Note is null ? string.Empty : " (" + Note + ")")}");
    }

    // Indexes read best in hex, small numbers (sensor types, levels) in decimal.
    private static string Word(uint value) => value > 0xFFFF ? string.Create(CultureInfo.InvariantCulture,
        $"0x{value:x8}") : value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A write to a kernel file and, when the kernel refused it, the error.</summary>
public sealed record KernelWriteStep(KernelWrite Write, string? Error = null) : TraceStep
{
    /// <summary>Longest content shown in the text form; JSON carries it whole.</summary>
    public const int TextLimit = 200;

    public override string ToString()
    {
        string content = Write.Printable();
        if (content.Length > TextLimit)
        {
            content = string.Create(CultureInfo.InvariantCulture, $"{content[..TextLimit]}… ({Write.Content.Length} bytes)");
        }

        return $"write {Write.Path} \"{content}\"{(Error is null ? string.Empty : " -> " + Error)}";
    }
}
