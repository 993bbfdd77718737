using System.Globalization;

namespace DlparAgent.Core.Requests;

/// <summary>Which connectors a request names: a count, one index, a count from an index, or a DRC name.</summary>
public abstract record DlparTarget
{
    private DlparTarget()
    {
    }

    /// <summary>The words that follow the resource and action, e.g. <c>indexed-count 4 0x80000010</c>.</summary>
    public abstract string ToRequestText();

    public sealed record ByCount(uint Count) : DlparTarget
    {
        public override string ToRequestText() => string.Create(CultureInfo.InvariantCulture, $"count {Count}");
    }

    public sealed record ByIndex(uint Index) : DlparTarget
    {
        public override string ToRequestText() => string.Create(CultureInfo.InvariantCulture, $"index 0x{Index:x}");
    }

    public sealed record ByIndexedCount(uint Count, uint FirstIndex) : DlparTarget
    {
        public override string ToRequestText() => string.Create(CultureInfo.InvariantCulture, $"indexed-count {Count} 0x{FirstIndex:x}");
    }

    public sealed record ByName(string Name) : DlparTarget
    {
        public override string ToRequestText() => $"name {RequestGrammar.Quote(Name)}";
    }
}
