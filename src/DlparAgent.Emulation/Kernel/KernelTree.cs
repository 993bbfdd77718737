using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>Device-tree chores of the kernel: finding nodes by connector, attaching with phandles, detaching.</summary>
internal static class KernelTree
{
    public const string MyDrcIndex = "ibm,my-drc-index";

    public static IEnumerable<DtNode> WithDrcIndex(DtNode root, uint index) =>
        root.DescendantsAndSelf().Where(n => n.GetProperty(MyDrcIndex) is { Length: 4 } p && p.AsUInt32() == index);

    /// <summary>True when the node's DRC description (drc-info or the arrays) lists the index.</summary>
    public static bool Describes(DtNode node, uint index)
    {
        try
        {
            return DrcCatalog.ReadContainer(node)?.Connectors.Any(c => c.Index == index) == true;
        }
        catch (DlparFormatException)
        {
            return false;
        }
    }

    /// <summary>Attaches a detached fragment, giving every node a phandle (as SLOF and PowerVM firmware do).</summary>
    public static void Attach(KernelState state, DtNode parent, DtNode fragment)
    {
        if (parent.GetChild(fragment.Name) is not null)
        {
            throw new KernelException(Errno.EINVAL, $"{parent.Path}/{fragment.Name} already exists");
        }

        AssignPhandles(state, fragment);
        parent.AddChild(fragment);
    }

    public static void AssignPhandles(KernelState state, DtNode root)
    {
        foreach (DtNode node in root.DescendantsAndSelf())
        {
            if (node.Phandle is null)
            {
                node.AddProperty(DtProperty.FromUInt32("phandle", state.NextPhandle++));
            }
        }
    }

    public static DtNode? FindByPhandle(DtNode root, uint phandle) => root.DescendantsAndSelf().FirstOrDefault(n => n.Phandle == phandle);
}
