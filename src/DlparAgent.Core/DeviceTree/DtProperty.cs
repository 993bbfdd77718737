using System.Buffers.Binary;
using System.Text;
using DlparAgent.Core.Formats;

namespace DlparAgent.Core.DeviceTree;

/// <summary>One device-tree property: a name and its raw big-endian value, with typed accessors.</summary>
public sealed class DtProperty
{
    private readonly byte[] _value;

    public DtProperty(string name, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _value = value.ToArray();
    }

    public string Name { get; }

    public ReadOnlySpan<byte> Value => _value;

    public int Length => _value.Length;

    /// <summary>The node this property belongs to, set when it is added to one.</summary>
    public DtNode? Owner { get; internal set; }

    /// <summary>
    /// Non-zero alignment padding that followed the value in the dtb it was read from (libfdt
    /// leaves stale bytes there after resizing), kept so an unmodified tree writes back exactly.
    /// Values are immutable, so a changed property is a new object and has none.
    /// </summary>
    internal byte[]? FdtPadding { get; set; }

    public string Path => Owner is null ? Name : Owner.Path == "/" ? "/" + Name : Owner.Path + "/" + Name;

    public static DtProperty FromUInt32(string name, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new DtProperty(name, bytes);
    }

    public static DtProperty FromUInt64(string name, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return new DtProperty(name, bytes);
    }

    public static DtProperty FromCells(string name, ReadOnlySpan<uint> cells)
    {
        byte[] bytes = new byte[cells.Length * 4];
        for (int i = 0; i < cells.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), cells[i]);
        }

        return new DtProperty(name, bytes);
    }

    public static DtProperty FromString(string name, string value) => FromStrings(name, [value]);

    public static DtProperty FromStrings(string name, IEnumerable<string> values)
    {
        var writer = new BigEndianWriter();
        foreach (string value in values)
        {
            writer.WriteCString(value);
        }

        return new DtProperty(name, writer.WrittenSpan);
    }

    public static DtProperty Empty(string name) => new(name, []);

    public uint AsUInt32()
    {
        RequireLength(4);
        return BinaryPrimitives.ReadUInt32BigEndian(_value);
    }

    public ulong AsUInt64()
    {
        RequireLength(8);
        return BinaryPrimitives.ReadUInt64BigEndian(_value);
    }

    /// <summary>The value as 32-bit cells; the length must be a multiple of 4.</summary>
    public uint[] AsCells()
    {
        if (_value.Length % 4 != 0)
        {
            throw Malformed($"length {_value.Length} is not a multiple of 4 (cells)");
        }

        uint[] cells = new uint[_value.Length / 4];
        for (int i = 0; i < cells.Length; i++)
        {
            cells[i] = BinaryPrimitives.ReadUInt32BigEndian(_value.AsSpan(i * 4));
        }

        return cells;
    }

    /// <summary>The value as one NUL-terminated string.</summary>
    public string AsString()
    {
        if (_value.Length == 0 || _value[^1] != 0 || Array.IndexOf(_value, (byte)0) != _value.Length - 1)
        {
            throw Malformed("value is not exactly one NUL-terminated string");
        }

        return Encoding.Latin1.GetString(_value, 0, _value.Length - 1);
    }

    /// <summary>The value as a list of NUL-terminated strings.</summary>
    public string[] AsStrings()
    {
        if (_value.Length == 0)
        {
            return [];
        }

        if (_value[^1] != 0)
        {
            throw Malformed("string list does not end with NUL");
        }

        var strings = new List<string>();
        int start = 0;
        for (int i = 0; i < _value.Length; i++)
        {
            if (_value[i] == 0)
            {
                strings.Add(Encoding.Latin1.GetString(_value, start, i - start));
                start = i + 1;
            }
        }

        return [.. strings];
    }

    public override string ToString() => $"{Name} ({_value.Length} bytes)";

    private void RequireLength(int expected)
    {
        if (_value.Length != expected)
        {
            throw Malformed($"length {_value.Length}, expected {expected}");
        }
    }

    private DlparFormatException Malformed(string detail) => new("device-tree", Path, -1, detail);
}
