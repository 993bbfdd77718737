namespace DlparAgent.Core.Formats.Memory;

/// <summary>One set of <c>ibm,dynamic-memory-v2</c>: a run of LMBs with consecutive indexes and addresses.</summary>
public readonly record struct DynamicMemorySet(uint SequentialLmbs, ulong BaseAddress, uint FirstDrcIndex, uint AssociativityIndex, LmbFlags Flags);
