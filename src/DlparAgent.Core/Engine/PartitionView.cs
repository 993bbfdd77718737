using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Drc;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Memory;

namespace DlparAgent.Core.Engine;

/// <summary>The partition as the OS sees it at the start of an operation: device tree, connectors, LMB table.</summary>
public sealed class PartitionView
{
    private PartitionView(DtNode tree)
    {
        Tree = tree;
        Catalog = DrcCatalog.FromTree(tree);
        Memory = DynamicReconfigurationMemory.FromTree(tree);
    }

    public DtNode Tree { get; }

    public DrcCatalog Catalog { get; }

    public DynamicReconfigurationMemory? Memory { get; }

    public static PartitionView Read(IGuestKernel kernel) => new(kernel.ReadDeviceTree());

    /// <summary>The node configured for a connector (<c>ibm,my-drc-index</c>) below a path, or null.</summary>
    public DtNode? OwnedNode(string parentPath, uint index) =>
        Tree.Find(parentPath)?.Children.FirstOrDefault(c => c.GetProperty("ibm,my-drc-index") is { Length: 4 } p && p.AsUInt32() == index);
}
