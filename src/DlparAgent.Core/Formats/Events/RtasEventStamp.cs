namespace DlparAgent.Core.Formats.Events;

/// <summary>
/// When and under which platform log id (PLID) a log is created. QEMU stores the PLID in host
/// byte order; <see cref="PlidLittleEndian"/> reproduces that for an x86 or ppc64le host.
/// </summary>
public readonly record struct RtasEventStamp(DateTime CreationTime, uint Plid, bool PlidLittleEndian = false);
