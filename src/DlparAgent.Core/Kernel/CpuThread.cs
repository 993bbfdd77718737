namespace DlparAgent.Core.Kernel;

/// <summary>A logical CPU as sysfs shows it: <c>cpuN</c>, its hardware thread (<c>physical_id</c>) and whether it is online.</summary>
public readonly record struct CpuThread(int Number, uint PhysicalId, bool Online);
