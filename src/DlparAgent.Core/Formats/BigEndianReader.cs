using System.Buffers.Binary;
using System.Text;

namespace DlparAgent.Core.Formats;

/// <summary>
/// A bounds-checked big-endian cursor over a span. Every read names its field so that a short
/// or inconsistent input produces a <see cref="DlparFormatException"/> saying what and where.
/// </summary>
public ref struct BigEndianReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _format;
    private readonly long _baseOffset;
    private int _position;

    /// <param name="data">The bytes to read.</param>
    /// <param name="format">Format name used in error messages.</param>
    /// <param name="baseOffset">Offset of <paramref name="data"/> inside the enclosing input, for messages.</param>
    public BigEndianReader(ReadOnlySpan<byte> data, string format, long baseOffset = 0)
    {
        _data = data;
        _format = format;
        _baseOffset = baseOffset;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Length => _data.Length;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool AtEnd => _position >= _data.Length;

    /// <summary>Absolute offset of the cursor in the enclosing input.</summary>
    public readonly long AbsolutePosition => _baseOffset + _position;

    public byte ReadByte(string field) => Take(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64BigEndian(Take(8, field));

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        if (count < 0)
        {
            throw Error(field, $"negative length {count}");
        }

        return Take(count, field);
    }

    /// <summary>Reads a NUL-terminated string (Latin-1, so every byte round-trips) and skips its NUL.</summary>
    public string ReadCString(string field)
    {
        int length = _data[_position..].IndexOf((byte)0);
        if (length < 0)
        {
            throw Error(field, "string is not NUL-terminated within the bytes present");
        }

        string value = Encoding.Latin1.GetString(_data.Slice(_position, length));
        _position += length + 1;
        return value;
    }

    public void Skip(int count, string field) => Take(count, field);

    /// <summary>Moves the cursor to an absolute position within this reader's span.</summary>
    public void Seek(int position, string field)
    {
        if (position < 0 || position > _data.Length)
        {
            throw Error(field, $"position {position} is outside the {_data.Length} bytes present");
        }

        _position = position;
    }

    /// <summary>Skips padding up to the next multiple of <paramref name="alignment"/>.</summary>
    public void Align(int alignment, string field)
    {
        int misalignment = _position % alignment;
        if (misalignment != 0)
        {
            Skip(alignment - misalignment, field);
        }
    }

    public readonly DlparFormatException Error(string field, string detail) =>
        new(_format, field, _baseOffset + _position, detail);

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > _data.Length - _position)
        {
            throw Error(field, $"needs {count} bytes but only {_data.Length - _position} are present");
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
