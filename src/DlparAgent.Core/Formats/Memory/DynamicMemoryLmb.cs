namespace DlparAgent.Core.Formats.Memory;

/// <summary>One LMB entry of <c>ibm,dynamic-memory</c> (v1), also the expanded form of a v2 set.</summary>
public readonly record struct DynamicMemoryLmb(ulong BaseAddress, uint DrcIndex, uint Reserved, uint AssociativityIndex, LmbFlags Flags)
{
    public bool IsAssigned => (Flags & LmbFlags.Assigned) != 0;

    /// <summary>True when the LMB is a DR candidate at all (it has a valid connector and is not reserved).</summary>
    public bool IsDynamic => (Flags & (LmbFlags.DrcInvalid | LmbFlags.Reserved)) == 0;
}
