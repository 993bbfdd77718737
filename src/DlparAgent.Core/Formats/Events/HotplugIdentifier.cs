using System.Globalization;

namespace DlparAgent.Core.Formats.Events;

/// <summary>What an <c>HP</c> section names: a DRC name, a DRC index, a count, or a count from a first index.</summary>
public readonly record struct HotplugIdentifier(HotplugIdentifierType Type, uint Index, uint Count, string? Name)
{
    public static HotplugIdentifier ByIndex(uint index) => new(HotplugIdentifierType.Index, index, 0, null);

    public static HotplugIdentifier ByCount(uint count) => new(HotplugIdentifierType.Count, 0, count, null);

    public static HotplugIdentifier ByCountIndexed(uint count, uint firstIndex) => new(HotplugIdentifierType.CountIndexed, firstIndex, count, null);

    public static HotplugIdentifier ByName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(HotplugIdentifierType.Name, 0, 0, name);
    }

    public override string ToString() => Type switch
    {
        HotplugIdentifierType.Index => string.Create(CultureInfo.InvariantCulture, $"index 0x{Index:x8}"),
        HotplugIdentifierType.Count => string.Create(CultureInfo.InvariantCulture, $"count {Count}"),
        HotplugIdentifierType.CountIndexed => string.Create(CultureInfo.InvariantCulture, $"count {Count} from index 0x{Index:x8}"),
        HotplugIdentifierType.Name => $"name \"{Name}\"",
        _ => $"identifier type {(byte)Type}",
    };
}
