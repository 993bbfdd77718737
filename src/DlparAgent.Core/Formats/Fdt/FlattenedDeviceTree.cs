using DlparAgent.Core.DeviceTree;

namespace DlparAgent.Core.Formats.Fdt;

/// <summary>One memory reservation entry of a flattened device tree.</summary>
public readonly record struct FdtReservation(ulong Address, ulong Size);

/// <summary>
/// A flattened device tree as a model: the node tree plus the header fields and reservations
/// that a dtb carries besides it.
/// </summary>
public sealed class FlattenedDeviceTree
{
    public FlattenedDeviceTree(DtNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Parent is not null || root.Name.Length != 0)
        {
            throw new ArgumentException("the root node must be a detached node with an empty name", nameof(root));
        }

        Root = root;
    }

    public DtNode Root { get; }

    public IList<FdtReservation> Reservations { get; init; } = new List<FdtReservation>();

    public uint BootCpuId { get; set; }

    /// <summary>
    /// The strings block the tree was read with. The writer reuses it (appending names it lacks),
    /// so an unmodified tree writes back byte for byte; null builds a fresh block.
    /// </summary>
    public ReadOnlyMemory<byte>? OriginalStrings { get; set; }
}
