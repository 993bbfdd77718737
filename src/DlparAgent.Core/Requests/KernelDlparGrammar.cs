using System.Globalization;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Resources;

namespace DlparAgent.Core.Requests;

/// <summary>
/// The <c>/sys/kernel/dlpar</c> grammar exactly as Linux parses it: tokens split at every single
/// space (two spaces make an empty token), words compared with <c>sysfs_streq</c> (one trailing
/// newline allowed), numbers read by <c>kstrtou32(…, 0)</c> (hex, octal, decimal), extra trailing
/// tokens ignored, and only the resource/action/id-type combinations the handlers take.
/// </summary>
public static class KernelDlparGrammar
{
    /// <summary>The resources a kernel can advertise in <c>/sys/kernel/dlpar</c>.</summary>
    public static readonly IReadOnlyList<string> Resources = [.. ResourceTable.Rows.Select(r => r.KernelKeyword).OfType<string>()];

    public static KernelRequestCheck Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] tokens = text.Split(' ');
        int next = 0;
        string? Take() => next < tokens.Length ? tokens[next++] : null;

        string? resourceWord = Take();
        DlparResource? resource = resourceWord is null ? null
            : ResourceTable.Rows.FirstOrDefault(r => r.KernelKeyword is { } keyword && StrEq(resourceWord, keyword))?.Resource;
        if (resource is null)
        {
            return KernelRequestCheck.Reject(Unexpected(tokens[0], "resource", "memory, cpu or dt"));
        }

        string? actionWord = Take();
        DlparAction action;
        if (actionWord is not null && StrEq(actionWord, "add"))
        {
            action = DlparAction.Add;
        }
        else if (actionWord is not null && StrEq(actionWord, "remove"))
        {
            action = DlparAction.Remove;
        }
        else
        {
            return KernelRequestCheck.Reject(actionWord is null ? "no action" : Unexpected(actionWord, "action", "add or remove"));
        }

        string? idType = Take();
        DlparTarget target;
        if (idType is not null && StrEq(idType, "index"))
        {
            if (!TryNumber(Take(), "index", out uint index, out string? error))
            {
                return KernelRequestCheck.Reject(error!);
            }

            target = new DlparTarget.ByIndex(index);
        }
        else if (idType is not null && StrEq(idType, "count"))
        {
            if (!TryNumber(Take(), "count", out uint count, out string? error))
            {
                return KernelRequestCheck.Reject(error!);
            }

            target = new DlparTarget.ByCount(count);
        }
        else if (idType is not null && StrEq(idType, "indexed-count"))
        {
            if (!TryNumber(Take(), "count", out uint count, out string? error) || !TryNumber(Take(), "index", out uint index, out error))
            {
                return KernelRequestCheck.Reject(error!);
            }

            target = new DlparTarget.ByIndexedCount(count, index);
        }
        else
        {
            return KernelRequestCheck.Reject(idType is null ? "no id type" : Unexpected(idType, "id type", "index, count or indexed-count"));
        }

        if (resource != DlparResource.Memory && target is not DlparTarget.ByIndex)
        {
            return KernelRequestCheck.Reject($"the kernel's {RequestGrammar.ResourceWord(resource.Value)} handler takes only 'index'");
        }

        return KernelRequestCheck.Accept(new DlparRequest(resource.Value, action, target));
    }

    /// <summary>The exact bytes the agent writes for a request: drmgr's <c>0x%x</c> indexes and decimal counts, no newline.</summary>
    public static string Format(DlparRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string resource = ResourceTable.Of(request.Resource).KernelKeyword
            ?? throw new ArgumentException($"the kernel has no '{RequestGrammar.ResourceWord(request.Resource)}' resource", nameof(request));
        if (request.Target is DlparTarget.ByName)
        {
            throw new ArgumentException("the kernel does not take DRC names", nameof(request));
        }

        string text = string.Create(CultureInfo.InvariantCulture,
            $"{resource} {(request.Action == DlparAction.Add ? "add" : "remove")} {request.Target.ToRequestText()}");
        KernelRequestCheck check = Check(text);
        return check.Accepted ? text : throw new ArgumentException($"the kernel would refuse '{text}': {check.Reason}", nameof(request));
    }

    /// <summary>Linux's <c>sysfs_streq</c>: equal, allowing one trailing newline on either side.</summary>
    private static bool StrEq(string token, string word) =>
        token == word || (token.Length == word.Length + 1 && token[^1] == '\n' && token.StartsWith(word, StringComparison.Ordinal));

    private static bool TryNumber(string? token, string what, out uint value, out string? error)
    {
        value = 0;
        error = null;
        if (token is null)
        {
            error = $"no {what}";
            return false;
        }

        if (!CNumber.TryParseKernelU32(token, out value))
        {
            error = token.Length == 0 ? Unexpected(token, what,
                string.Empty) : $"{what} '{Clean(token)}' is not an unsigned 32-bit number (0x hex, 0 octal or decimal)";
            return false;
        }

        return true;
    }

    private static string Unexpected(string token, string what, string expected) => token.Length == 0
        ? $"empty {what}: the kernel splits at every single space, so blanks must be single"
        : $"{what} '{Clean(token)}' is not {expected}";

    private static string Clean(string token) => token.Replace("\n", "\\n", StringComparison.Ordinal);
}
