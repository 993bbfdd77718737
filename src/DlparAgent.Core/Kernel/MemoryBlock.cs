namespace DlparAgent.Core.Kernel;

/// <summary>A memory block as sysfs shows it: <c>memoryN</c> (N = address / block size), its state and whether it is removable.</summary>
public readonly record struct MemoryBlock(int Number, bool Online, bool Removable);
