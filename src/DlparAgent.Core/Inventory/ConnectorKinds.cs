using DlparAgent.Core.Drc;
using DlparAgent.Core.Resources;

namespace DlparAgent.Core.Inventory;

/// <summary>The DRC-type → kind mapping and the words the command lines use for kinds, from <see cref="ResourceTable"/>.</summary>
public static class ConnectorKinds
{
    /// <summary>Each kind's word, by kind: listings ask once per connector.</summary>
    private static readonly string[] Words = [.. Enum.GetValues<ConnectorKind>().Select(k => ResourceTable.ByKind(k)?.Word ?? "other")];

    public static ConnectorKind Of(DrcConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return OfType(connector.Type);
    }

    /// <summary>The kind a DRC type holds; <see cref="ConnectorKind.Other"/> for a type no resource has.</summary>
    public static ConnectorKind OfType(string drcType) => ResourceTable.Rows.FirstOrDefault(r => r.HoldsType(drcType))?.Kind ?? ConnectorKind.Other;

    public static string Word(ConnectorKind kind) => (uint)kind < (uint)Words.Length ? Words[(int)kind] : "other";

    /// <summary>Parses a kind word (<c>mem</c> is accepted for memory, as drmgr spells it); null when unknown.</summary>
    public static ConnectorKind? Parse(string word) => word == "other" ? ConnectorKind.Other : ResourceTable.ByListingWord(word)?.Kind;
}
