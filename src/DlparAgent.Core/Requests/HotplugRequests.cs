using DlparAgent.Core.Formats.Events;
using DlparAgent.Core.Resources;

namespace DlparAgent.Core.Requests;

/// <summary>
/// A firmware hotplug event's <c>HP</c> section as a request: every resource the engine handles
/// and every identifier type (index, count, count-indexed and DRC name, the last two being what
/// rtas_errd ignores).
/// </summary>
public static class HotplugRequests
{
    /// <summary>The request, or null with the reason it cannot be one (PMEM, an unknown action or type).</summary>
    public static DlparRequest? FromSection(HotplugSection section, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(section);
        DlparResource? resource = ResourceTable.ByHotplugCode(section.Resource)?.Resource;
        DlparAction? action = section.Action switch
        {
            HotplugAction.Add => DlparAction.Add,
            HotplugAction.Remove => DlparAction.Remove,
            _ => null,
        };
        HotplugIdentifier id = section.Identifier;
        DlparTarget? target = id.Type switch
        {
            HotplugIdentifierType.Index => new DlparTarget.ByIndex(id.Index),
            HotplugIdentifierType.Count => new DlparTarget.ByCount(id.Count),
            HotplugIdentifierType.CountIndexed => new DlparTarget.ByIndexedCount(id.Count, id.Index),
            HotplugIdentifierType.Name when id.Name is { Length: > 0 } name => new DlparTarget.ByName(name),
            _ => null,
        };
        reason = resource is null ? $"resource type {(byte)section.Resource} is not handled (PMEM and unknown types)"
            : action is null ? $"action {(byte)section.Action} is neither add nor remove"
            : target is null ? $"identifier type {(byte)id.Type} is not understood"
            : null;
        return reason is null ? new DlparRequest(resource!.Value, action!.Value, target!) : null;
    }
}
