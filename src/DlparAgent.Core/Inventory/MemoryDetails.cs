using DlparAgent.Core.Kernel;

namespace DlparAgent.Core.Inventory;

/// <summary>An LMB as the device tree and sysfs show it.</summary>
/// <param name="AssociativityIndex">Index into <c>ibm,associativity-lookup-arrays</c>; null when not set.</param>
/// <param name="Associativity">The lookup-array entry the index selects; null when not set or out of range.</param>
/// <param name="Blocks">The sysfs memory blocks the LMB spans that the kernel has, in address order.</param>
/// <param name="BlockSize">The kernel's memory block size (sysfs <c>block_size_bytes</c>); 0 when unknown.</param>
/// <param name="Dynamic">Whether the LMB can be reconfigured at all (neither reserved nor with an invalid DRC).</param>
public sealed record MemoryDetails(ulong Address, ulong Size, uint? AssociativityIndex, IReadOnlyList<uint>? Associativity,
    IReadOnlyList<MemoryBlock> Blocks, ulong BlockSize, bool Dynamic)
{
    /// <summary>How many memory blocks the LMB spans (lsslot's sections).</summary>
    public int BlockCount => BlockSize == 0 ? 0 : (int)Math.Min(Size / BlockSize, int.MaxValue);

    /// <summary>The number of the LMB's first memory block (<c>memoryN</c>).</summary>
    public ulong FirstBlock => BlockSize == 0 ? 0 : Address / BlockSize;

    /// <summary>Whether the kernel has every block of the LMB and could take each offline (sysfs <c>removable</c>).</summary>
    public bool Removable
    {
        get
        {
            if (Blocks.Count == 0 || Blocks.Count != BlockCount)
            {
                return false;
            }

            foreach (MemoryBlock block in Blocks)
            {
                if (!block.Removable)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
