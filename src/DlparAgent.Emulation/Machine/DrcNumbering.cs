using System.Globalization;

namespace DlparAgent.Emulation.Machine;

/// <summary>
/// QEMU's connector numbering, <c>index = (type shift &lt;&lt; 28) | id</c>, and names. Only the
/// emulator derives anything from index bits; the agent never does.
/// </summary>
public static class DrcNumbering
{
    public const uint CpuBase = 0x10000000;
    public const uint PhbBase = 0x20000000;
    public const uint VioBase = 0x30000000;
    public const uint PciBase = 0x40000000;
    public const uint LmbBase = 0x80000000;
    public const uint PmemBase = 0x90000000;

    /// <summary>PowerVM-style location-code prefixes for the PowerVM profile.</summary>
    public const string VioLocationPrefix = "U8233.E8B.1000C9P-V1-C";
    public const string PciLocationPrefix = "U78C9.001.WZS0CWX-P1-C";

    /// <summary>PCI slots per PHB in the PowerVM profile (QEMU has 32 slots of 8 functions).</summary>
    public const int PowerVmSlotsPerPhb = 8;

    public static uint Cpu(int coreId) => CpuBase + (uint)coreId;

    public static uint Phb(int index) => PhbBase + (uint)index;

    public static uint Vio(int slot) => VioBase + (uint)slot;

    public static uint Pci(int phb, int devfn) => PciBase + ((uint)phb << 16) + (uint)devfn;

    public static uint Lmb(uint id) => LmbBase + id;

    public static uint Pmem(int slot) => PmemBase + (uint)slot;

    public static string Name(string prefix, long id) => prefix + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The QEMU PCI DRC id (and name suffix): phb &lt;&lt; 16 | devfn (root bus, chassis 0).</summary>
    public static long PciId(int phb, int devfn) => ((long)phb << 16) + devfn;
}
