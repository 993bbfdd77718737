using DlparAgent.Core.DeviceTree;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.Memory;

namespace DlparAgent.Core.Memory;

/// <summary>
/// The partition's LMB table as <c>/ibm,dynamic-reconfiguration-memory</c> describes it, from
/// <c>ibm,dynamic-memory-v2</c> when present, else <c>ibm,dynamic-memory</c>.
/// </summary>
public sealed class DynamicReconfigurationMemory
{
    public const string NodePath = "/ibm,dynamic-reconfiguration-memory";

    private DynamicReconfigurationMemory(int version, ulong lmbSize, DynamicMemoryLmb[] lmbs, DynamicMemorySet[]? sets, AssociativityLookupArrays? lookup)
    {
        Version = version;
        LmbSize = lmbSize;
        Lmbs = lmbs;
        Sets = sets;
        AssociativityLookup = lookup;
    }

    /// <summary>1 for <c>ibm,dynamic-memory</c>, 2 for <c>ibm,dynamic-memory-v2</c>.</summary>
    public int Version { get; }

    public ulong LmbSize { get; }

    public IReadOnlyList<DynamicMemoryLmb> Lmbs { get; }

    /// <summary>The v2 sets as published, or null for v1.</summary>
    public IReadOnlyList<DynamicMemorySet>? Sets { get; }

    public AssociativityLookupArrays? AssociativityLookup { get; }

    public string PropertyName => Version == 2 ? DynamicMemoryV2.PropertyName : DynamicMemoryV1.PropertyName;

    /// <summary>Reads the drconf node of a tree, or returns null when the tree has none.</summary>
    public static DynamicReconfigurationMemory? FromTree(DtNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return root.Find(NodePath) is { } node ? FromNode(node) : null;
    }

    public static DynamicReconfigurationMemory FromNode(DtNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        DtProperty size = node.GetProperty(Formats.Memory.LmbSize.PropertyName)
            ?? throw new DlparFormatException("drconf-memory", node.Path, -1, $"lacks {Formats.Memory.LmbSize.PropertyName}");
        ulong lmbSize = Formats.Memory.LmbSize.Read(size.Value);

        AssociativityLookupArrays? lookup = node.GetProperty(AssociativityLookupArrays.PropertyName) is { } aa
            ? AssociativityLookupArrays.Read(aa.Value)
            : null;

        if (node.GetProperty(DynamicMemoryV2.PropertyName) is { } v2)
        {
            DynamicMemorySet[] sets = DynamicMemoryV2.Read(v2.Value);
            return new DynamicReconfigurationMemory(2, lmbSize, DynamicMemoryV2.Expand(sets, lmbSize), sets, lookup);
        }

        if (node.GetProperty(DynamicMemoryV1.PropertyName) is { } v1)
        {
            return new DynamicReconfigurationMemory(1, lmbSize, DynamicMemoryV1.Read(v1.Value), null, lookup);
        }

        throw new DlparFormatException("drconf-memory", node.Path, -1,
            $"has neither {DynamicMemoryV2.PropertyName} nor {DynamicMemoryV1.PropertyName}");
    }
}
