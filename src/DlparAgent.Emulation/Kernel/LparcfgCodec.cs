using DlparAgent.Core.Formats;

namespace DlparAgent.Emulation.Kernel;

/// <summary>The hypervisor's entitlement of the partition (what lparcfg shows) as a section of the machine's state file.</summary>
public static class LparcfgCodec
{
    public const string ExtensionName = "lparcfg";

    private const byte Version = 1;

    public static byte[] Encode(EmulatedLparcfg file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var w = new BigEndianWriter(96);
        w.WriteByte(Version);
        w.WriteByte((byte)((file.Limits.SharedProcessor ? 1 : 0) | (file.Limits.ActiveMemorySharing ? 2 : 0)));
        foreach (ulong value in (ReadOnlySpan<ulong>)[file.Limits.MinimumCapacity, file.Limits.MaximumCapacity, file.Limits.MaximumEntitledMemory,
            file.Capacity, file.Weight, file.EntitledMemory, file.MemoryWeight, file.PoolAvailable])
        {
            w.WriteUInt64(value);
        }

        return w.ToArray();
    }

    /// <summary>Decodes the section; damage surfaces as <see cref="DlparFormatException"/>.</summary>
    public static EmulatedLparcfg Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new BigEndianReader(bytes, "lparcfg");
        byte version = r.ReadByte("version");
        if (version != Version)
        {
            throw r.Error("version", $"section format {version}; this version reads {Version}");
        }

        byte flags = r.ReadByte("flags");
        var limits = new EntitlementLimits
        {
            SharedProcessor = (flags & 1) != 0,
            ActiveMemorySharing = (flags & 2) != 0,
            MinimumCapacity = r.ReadUInt64("minimum capacity"),
            MaximumCapacity = r.ReadUInt64("maximum capacity"),
            MaximumEntitledMemory = r.ReadUInt64("maximum entitled memory"),
        };
        ulong capacity = r.ReadUInt64("capacity"), weight = r.ReadUInt64("weight"), memory = r.ReadUInt64("entitled memory");
        ulong memoryWeight = r.ReadUInt64("memory weight"), pool = r.ReadUInt64("pool available");
        if (r.Remaining != 0)
        {
            throw r.Error("end", $"{r.Remaining} bytes after the section");
        }

        return EmulatedLparcfg.Restore(limits with { PoolAvailable = pool }, capacity, weight, memory, memoryWeight, pool);
    }
}
