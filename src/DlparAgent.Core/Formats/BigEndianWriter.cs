using System.Buffers.Binary;
using System.Text;

namespace DlparAgent.Core.Formats;

/// <summary>A growable big-endian byte buffer for the format writers.</summary>
public sealed class BigEndianWriter
{
    private byte[] _buffer;
    private int _length;

    public BigEndianWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void WriteByte(byte value) => Grow(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Grow(8), value);

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Grow(value.Length));

    /// <summary>Writes a string as Latin-1 bytes followed by a NUL.</summary>
    public void WriteCString(string value)
    {
        WriteLatin1(value);
        WriteByte(0);
    }

    /// <summary>Writes a string as Latin-1 bytes without a terminator.</summary>
    public void WriteLatin1(string value)
    {
        Span<byte> target = Grow(Encoding.Latin1.GetByteCount(value));
        Encoding.Latin1.GetBytes(value, target);
    }

    public void WriteZeros(int count) => Grow(count).Clear();

    /// <summary>Pads with zero bytes up to the next multiple of <paramref name="alignment"/>.</summary>
    public void Align(int alignment)
    {
        int misalignment = _length % alignment;
        if (misalignment != 0)
        {
            WriteZeros(alignment - misalignment);
        }
    }

    /// <summary>Overwrites a big-endian u32 already written at <paramref name="offset"/>.</summary>
    public void PatchUInt32(int offset, uint value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, _length - 4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(offset, 4), value);
    }

    /// <summary>Overwrites a big-endian u16 already written at <paramref name="offset"/>.</summary>
    public void PatchUInt16(int offset, ushort value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, _length - 2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset, 2), value);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        Span<byte> slice = _buffer.AsSpan(_length, count);
        _length += count;
        return slice;
    }
}
