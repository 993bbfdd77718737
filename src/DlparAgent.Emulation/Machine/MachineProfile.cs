using System.Globalization;

namespace DlparAgent.Emulation.Machine;

/// <summary>
/// The shape of an emulated partition, described as QEMU's command line describes one
/// (<c>-smp cpus,maxcpus,threads -m mem,slots,maxmem</c>), plus the flavour and negotiation.
/// </summary>
public sealed record MachineProfile
{
    public const ulong GiB = 1UL << 30;
    public const ulong MiB = 1UL << 20;

    /// <summary>QEMU's LMB size and the alignment of every memory size.</summary>
    public const ulong LmbSize = 256 * MiB;

    /// <summary>QEMU's number of PHB connectors (SPAPR_MAX_PHBS).</summary>
    public const int MaxPhbs = 31;

    public PlatformFlavor Flavor { get; init; } = PlatformFlavor.Qemu;

    /// <summary>Boot vCPUs (threads), a multiple of <see cref="Threads"/>.</summary>
    public int BootCpus { get; init; } = 1;

    /// <summary>Possible vCPUs, a multiple of <see cref="Threads"/>: one CPU connector per possible core.</summary>
    public int MaxCpus { get; init; } = 8;

    /// <summary>Threads per core (SMT).</summary>
    public int Threads { get; init; } = 1;

    public ulong Memory { get; init; } = 2 * GiB;

    public ulong MaxMemory { get; init; } = 8 * GiB;

    /// <summary>Memory slots: the DIMM limit, and one PMEM connector per slot.</summary>
    public int MemorySlots { get; init; } = 8;

    /// <summary>PHBs present at boot (indexes 0..n-1).</summary>
    public int BootPhbs { get; init; } = 1;

    public NegotiationMode Negotiation { get; init; } = NegotiationMode.Modern;

    /// <summary>Whether the guest asks for <c>ibm,dynamic-memory-v2</c> at CAS.</summary>
    public bool DrmemV2 { get; init; } = true;

    /// <summary>LoPAR rules where QEMU deviates (the rows marked [P] in the platform spec).</summary>
    public bool Strict { get; init; }

    /// <summary>Reproduce QEMU's LMB fragment address (bit 59 set); off by default.</summary>
    public bool QemuLmbAddressBug { get; init; }

    public int MaxCores => MaxCpus / Threads;

    public int BootCores => BootCpus / Threads;

    /// <summary>QEMU: device memory starts at boot RAM rounded up to 1 GiB.</summary>
    public ulong DeviceMemoryBase => Flavor == PlatformFlavor.Qemu ? (Memory + GiB - 1) / GiB * GiB : Memory;

    public ulong DeviceMemorySize => MaxMemory - Memory;

    /// <summary>LMB connectors: QEMU covers device memory only; PowerVM all memory up to the maximum.</summary>
    public uint FirstLmbId => Flavor == PlatformFlavor.Qemu ? (uint)(DeviceMemoryBase / LmbSize) : 0;

    public int LmbConnectorCount => (int)(Flavor == PlatformFlavor.Qemu ? DeviceMemorySize / LmbSize : MaxMemory / LmbSize);

    /// <summary>Checks the profile the way QEMU checks its command line; throws with a message naming the problem.</summary>
    public void Validate()
    {
        Require(Threads is >= 1 and <= 8, $"threads per core must be 1 to 8, not {Threads}");
        Require(BootCpus >= Threads && BootCpus % Threads == 0, $"boot CPUs ({BootCpus}) must be a positive multiple of the {Threads} threads per core");
        Require(MaxCpus >= BootCpus && MaxCpus % Threads == 0, $"maximum CPUs ({MaxCpus}) must be at least the boot CPUs and a multiple of {Threads}");
        Require(MaxCpus <= 8192, $"maximum CPUs ({MaxCpus}) exceeds 8192");
        Require(Memory >= LmbSize && Memory % LmbSize == 0, $"memory ({Size(Memory)}) must be a positive multiple of 256 MiB");
        Require(MaxMemory >= Memory && MaxMemory % LmbSize == 0, $"maximum memory ({Size(MaxMemory)}) must be at least the memory and a multiple of 256 MiB");
        Require(MaxMemory <= 64UL << 40, "maximum memory exceeds 64 TiB");
        Require(MemorySlots is >= 0 and <= 32, $"memory slots must be 0 to 32, not {MemorySlots}");
        Require(BootPhbs is >= 0 and <= MaxPhbs, $"boot PHBs must be 0 to {MaxPhbs}, not {BootPhbs}");
    }

    public static string Size(ulong bytes) =>
        bytes % GiB == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / GiB}G")
        : bytes % MiB == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / MiB}M")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes}");

    /// <summary>Parses sizes like <c>512M</c>, <c>8G</c>, <c>1T</c> or a byte count.</summary>
    public static bool TryParseSize(string text, out ulong bytes)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        ulong unit = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1UL << 10,
            'M' => MiB,
            'G' => GiB,
            'T' => 1UL << 40,
            _ => 1,
        };
        string digits = unit == 1 ? text : text[..^1];
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) || value > ulong.MaxValue / unit)
        {
            return false;
        }

        bytes = value * unit;
        return true;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
