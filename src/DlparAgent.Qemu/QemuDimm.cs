namespace DlparAgent.Qemu;

/// <summary>A DIMM QEMU has: its device id, guest physical address and size in bytes.</summary>
public sealed record QemuDimm(string Id, ulong Address, ulong Size)
{
    /// <summary>The DRC index of its first LMB (QEMU numbers LMB connectors by address / 256 MiB).</summary>
    public uint FirstLmbIndex => 0x8000_0000u | (uint)(Address / (256UL << 20));
}
