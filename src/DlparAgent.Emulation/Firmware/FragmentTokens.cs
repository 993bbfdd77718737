using DlparAgent.Core.DeviceTree;

namespace DlparAgent.Emulation.Firmware;

/// <summary>
/// Flattens a fragment into tokens in flattened-tree order: a node's properties, then its children.
/// Properties come last-added first, as in QEMU's fragments: libfdt's <c>fdt_setprop</c> inserts a
/// new property at the front of its node (seen on QEMU 7.2: <c>name</c> is a CPU's first property).
/// </summary>
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
        for (int i = node.Properties.Count - 1; i >= 0; i--)
        {
            DtProperty property = node.Properties[i];
            tokens.Add(new WalkToken(WalkTokenKind.Property, property.Name, property.Value.ToArray()));
        }

        foreach (DtNode child in node.Children)
        {
            Append(child, tokens);
        }

        tokens.Add(new WalkToken(WalkTokenKind.EndNode, string.Empty, []));
    }
}
