using DlparAgent.Core.Formats;

namespace DlparAgent.Emulation.Kernel;

/// <summary>The partition's NX accelerator credits as a section of the machine's state file.</summary>
public static class VasCodec
{
    public const string ExtensionName = "vas";

    private const byte Version = 1;

    public static byte[] Encode(EmulatedVas vas)
    {
        ArgumentNullException.ThrowIfNull(vas);
        var w = new BigEndianWriter(16);
        w.WriteByte(Version);
        w.WriteUInt32((uint)vas.DefaultCredits);
        w.WriteUInt32((uint)vas.QosCredits);
        w.WriteUInt32((uint)vas.OpenQosWindows);
        return w.ToArray();
    }

    /// <summary>Decodes the section; damage surfaces as <see cref="DlparFormatException"/>.</summary>
    public static EmulatedVas Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new BigEndianReader(bytes, "vas");
        byte version = r.ReadByte("version");
        if (version != Version)
        {
            throw r.Error("version", $"section format {version}; this version reads {Version}");
        }

        int defaults = Credits(ref r, "default credits"), qos = Credits(ref r, "QoS credits"), windows = Credits(ref r, "open QoS windows");
        if (r.Remaining != 0)
        {
            throw r.Error("end", $"{r.Remaining} bytes after the section");
        }

        return new EmulatedVas(defaults, qos, windows);
    }

    private static int Credits(ref BigEndianReader r, string field)
    {
        uint value = r.ReadUInt32(field);
        return value <= ushort.MaxValue ? (int)value : throw r.Error(field, $"{value} is not a 16-bit count");
    }
}
