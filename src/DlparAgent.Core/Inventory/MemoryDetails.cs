using DlparAgent.Core.Kernel;

namespace DlparAgent.Core.Inventory;

/// <summary>An LMB as the device tree and sysfs show it.</summary>
/// <param name="AssociativityIndex">Index into <c>ibm,associativity-lookup-arrays</c>; null when not set.</param>
/// <param name="Associativity">The lookup-array entry the index selects; empty when not set or out of range.</param>
/// <param name="Blocks">The sysfs memory blocks the LMB spans that the kernel has, in address order.</param>
public sealed record MemoryDetails(ulong Address, ulong Size, uint? AssociativityIndex, IReadOnlyList<uint> Associativity, IReadOnlyList<MemoryBlock> Blocks)
{
    /// <summary>Whether the kernel could take every block of the LMB offline (sysfs <c>removable</c>).</summary>
    public bool Removable => Blocks.Count > 0 && Blocks.All(b => b.Removable);
}
