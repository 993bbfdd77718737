using DlparAgent.Core.DeviceTree;

namespace DlparAgent.Emulation.Firmware;

/// <summary>Flattens a fragment into tokens in flattened-tree order: a node's properties, then its children.</summary>
internal static class FragmentTokens
{
    public static WalkToken[] Flatten(DtNode root)
    {
        var tokens = new List<WalkToken>();
        Append(root, tokens);
        return [.. tokens];
    }

    private static void Append(DtNode node, List<WalkToken> tokens)
    {
        tokens.Add(new WalkToken(WalkTokenKind.BeginNode, node.Name, []));
        foreach (DtProperty property in node.Properties)
        {
            tokens.Add(new WalkToken(WalkTokenKind.Property, property.Name, property.Value.ToArray()));
        }

        foreach (DtNode child in node.Children)
        {
            Append(child, tokens);
        }

        tokens.Add(new WalkToken(WalkTokenKind.EndNode, string.Empty, []));
    }
}
