using System.Globalization;
using System.Text;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>The hypervisor's limits on a partition's entitlement and weights (PowerVM's processing units are hundredths of a core).</summary>
public sealed record EntitlementLimits
{
    /// <summary>Shared-processor mode; a dedicated partition has no SPLPAR feature and its lparcfg is read-only.</summary>
    public bool SharedProcessor { get; init; } = true;

    public ulong MinimumCapacity { get; init; } = 10;

    public ulong MaximumCapacity { get; init; } = 800;

    /// <summary>What the shared pool can still give this partition beyond its current entitlement.</summary>
    public ulong PoolAvailable { get; init; } = 400;

    /// <summary>Active Memory Sharing: only then are the memory entitlement and weight there.</summary>
    public bool ActiveMemorySharing { get; init; }

    public ulong MaximumEntitledMemory { get; init; } = 8UL << 30;
}

/// <summary>
/// <c>/proc/powerpc/lparcfg</c> as Linux's <c>lparcfg.c</c> reads and writes it, over a hypervisor
/// that applies <c>H_SET_PPP</c>/<c>H_SET_MPP</c> within <see cref="EntitlementLimits"/>: writable
/// only on a shared-processor partition; at most 64 bytes; the last byte (the newline) dropped;
/// <c>key=decimal</c>; weights kept to their low byte as the kernel casts them; a request beyond
/// the pool is constrained (<c>H_CONSTRAINED</c>, which the kernel reports as success), one beyond
/// the partition's minimum or maximum refused (<c>H_PARAMETER</c>: EINVAL).
/// </summary>
public sealed class EmulatedLparcfg(EntitlementLimits limits, ulong capacity = 150, ulong weight = 128, ulong entitledMemory = 4UL << 30,
    ulong memoryWeight = 64)
{
    private const int KernelBufferSize = 64;

    public EntitlementLimits Limits { get; } = limits;

    public ulong Capacity { get; private set; } = capacity;

    public ulong Weight { get; private set; } = weight;

    public ulong EntitledMemory { get; private set; } = entitledMemory;

    public ulong MemoryWeight { get; private set; } = memoryWeight;

    /// <summary>What the shared pool can still give: it shrinks as the partition takes more and grows as it gives back.</summary>
    public ulong PoolAvailable { get; private set; } = limits.PoolAvailable;

    /// <summary>The partition's entitlement for a profile: PowerVM is shared-processor by default; QEMU has no lparcfg (no H_GET_PPP).</summary>
    public static EmulatedLparcfg? ForProfile(Machine.MachineProfile profile, bool dedicated = false, ulong? capacity = null, bool activeMemorySharing = false)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Flavor != Machine.PlatformFlavor.PowerVm)
        {
            return null;
        }

        // Processing units are hundredths of a core: a dedicated partition's entitlement is its cores.
        ulong maximum = (ulong)profile.MaxCores * 100;
        ulong units = dedicated ? (ulong)(profile.BootCpus / profile.Threads) * 100 : capacity ?? Math.Min(150, maximum);
        var limits = new EntitlementLimits
        {
            SharedProcessor = !dedicated,
            MinimumCapacity = Math.Min(10, maximum),
            MaximumCapacity = maximum,
            ActiveMemorySharing = activeMemorySharing,
            MaximumEntitledMemory = profile.MaxMemory,
        };
        return units < limits.MinimumCapacity || units > maximum
            ? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"an entitlement of {units} processing units is outside {limits.MinimumCapacity} to {maximum} for {profile.MaxCores} cores"))
            : new EmulatedLparcfg(limits, units, entitledMemory: Math.Min(profile.Memory, profile.MaxMemory));
    }

    /// <summary>Restores a file saved by <see cref="Save"/>, its pool included.</summary>
    public static EmulatedLparcfg Restore(EntitlementLimits limits, ulong capacity, ulong weight, ulong entitledMemory, ulong memoryWeight,
        ulong poolAvailable) =>
        new(limits, capacity, weight, entitledMemory, memoryWeight) { PoolAvailable = poolAvailable };

    public string Render()
    {
        var text = new StringBuilder("lparcfg 1.9\nserial_number=IBM,0210EMU01\nsystem_type=IBM,9009-42A\npartition_id=1\n");
        text.Append(CultureInfo.InvariantCulture, $"partition_entitled_capacity={Capacity}\ncapacity_weight={Weight}\n");
        text.Append(CultureInfo.InvariantCulture, $"shared_processor_mode={(Limits.SharedProcessor ? 1 : 0)}\n");
        if (Limits.ActiveMemorySharing)
        {
            text.Append(CultureInfo.InvariantCulture, $"entitled_memory={EntitledMemory}\nentitled_memory_weight={MemoryWeight}\n");
        }

        return text.Append("slb_size=32\n").ToString();
    }

    /// <summary>One write() of <paramref name="bytes"/>; throws with the errno Linux returns.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (!Limits.SharedProcessor)
        {
            throw Refused(Errno.EINVAL, "a dedicated-processor partition cannot change its entitlement");
        }

        if (bytes.Length == 0 || bytes.Length > KernelBufferSize)
        {
            throw Refused(Errno.EINVAL, "longer than the kernel's 64-byte buffer");
        }

        // The kernel overwrites the last byte with a NUL: it expects the newline there.
        string text = Encoding.Latin1.GetString(bytes[..^1]);
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw Refused(Errno.EINVAL, "no '='");
        }

        string key = text[..equals];
        ulong? value = LeadingDecimal(text[(equals + 1)..]) ?? throw Refused(Errno.EINVAL, "no number after '='");
        switch (key)
        {
            case "partition_entitled_capacity":
                ulong capacity = SetWithinLimits(value.Value, Capacity, Limits.MinimumCapacity, Limits.MaximumCapacity, PoolAvailable);
                PoolAvailable = PoolAvailable + Capacity - capacity;
                Capacity = capacity;
                break;
            case "capacity_weight":
                Weight = value.Value & 0xFF;
                break;
            case "entitled_memory" when Limits.ActiveMemorySharing:
                EntitledMemory = SetWithinLimits(value.Value, EntitledMemory, 0, Limits.MaximumEntitledMemory, ulong.MaxValue);
                break;
            case "entitled_memory_weight" when Limits.ActiveMemorySharing:
                MemoryWeight = value.Value & 0xFF;
                break;
            case "entitled_memory" or "entitled_memory_weight":
                throw Refused(Errno.EIO, "no Active Memory Sharing: H_GET_MPP fails");
            default:
                throw Refused(Errno.EINVAL, $"unknown key '{key}'");
        }
    }

    /// <summary>H_PARAMETER outside the partition's range; H_CONSTRAINED (clipped, success) past what the pool can give.</summary>
    private static ulong SetWithinLimits(ulong asked, ulong current, ulong minimum, ulong maximum, ulong poolAvailable)
    {
        if (asked < minimum || asked > maximum)
        {
            throw Refused(Errno.EINVAL, string.Create(CultureInfo.InvariantCulture, $"{asked} is outside the partition's range {minimum} to {maximum}"));
        }

        return asked > current && asked - current > poolAvailable ? current + poolAvailable : asked;
    }

    /// <summary>simple_strtoul's base 10: leading digits, the rest ignored; null when there are none.</summary>
    private static ulong? LeadingDecimal(string text)
    {
        int digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        return digits > 0 && ulong.TryParse(text.AsSpan(0, Math.Min(digits, 19)), NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : null;
    }

    private static KernelException Refused(Errno errno, string why) => new(errno, $"/proc/powerpc/lparcfg: {why}");
}
