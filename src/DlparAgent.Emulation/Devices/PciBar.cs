namespace DlparAgent.Emulation.Devices;

/// <summary>One base address register: its config-space offset, its address space and its size.</summary>
public sealed record PciBar(byte Register, PciSpace Space, ulong Size);
