using DlparAgent.Core.Formats;

namespace DlparAgent.Emulation.Kernel;

/// <summary>The partition's migration state (streams, migrations done) as a section of the machine's state file.</summary>
public static class MigrationCodec
{
    public const string ExtensionName = "migration";

    private const byte Version = 1;

    public static byte[] Encode(EmulatedMigration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        var w = new BigEndianWriter(32);
        w.WriteByte(Version);
        w.WriteUInt64(migration.NextStream);
        w.WriteByte(migration.OpenStream is null ? (byte)0 : (byte)1);
        w.WriteUInt64(migration.OpenStream ?? 0);
        w.WriteUInt32((uint)migration.Completed);
        return w.ToArray();
    }

    /// <summary>Decodes the section; damage surfaces as <see cref="DlparFormatException"/>.</summary>
    public static EmulatedMigration Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new BigEndianReader(bytes, "migration");
        byte version = r.ReadByte("version");
        if (version != Version)
        {
            throw r.Error("version", $"section format {version}; this version reads {Version}");
        }

        ulong next = r.ReadUInt64("next stream");
        byte open = r.ReadByte("stream open");
        ulong stream = r.ReadUInt64("open stream");
        uint completed = r.ReadUInt32("migrations");
        if (open > 1 || completed > int.MaxValue || r.Remaining != 0)
        {
            throw r.Error("end", "a flag, count or length out of range");
        }

        return new EmulatedMigration(next, open == 1 ? stream : null, (int)completed);
    }
}
