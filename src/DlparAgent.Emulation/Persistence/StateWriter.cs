using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace DlparAgent.Emulation.Persistence;

/// <summary>
/// The state codec's writer: big-endian numbers and length-prefixed UTF-8 strings, in a pooled
/// buffer so that saving a large machine does not churn the large-object heap.
/// </summary>
internal sealed class StateWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public StateWriter(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(256, capacity));
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Byte(byte value) => Grow(1)[0] = value;

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void U16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), value);

    public void U32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    public void I32(int value) => U32(unchecked((uint)value));

    public void U64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Grow(8), value);

    public void String(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        U16(checked((ushort)length));
        Encoding.UTF8.GetBytes(value, Grow(length));
    }

    public void OptionalString(string? value)
    {
        Bool(value is not null);
        if (value is not null)
        {
            String(value);
        }
    }

    public void OptionalU32(uint? value)
    {
        Bool(value is not null);
        U32(value ?? 0);
    }

    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Grow(value.Length));

    public void Blob(ReadOnlySpan<byte> value)
    {
        U32((uint)value.Length);
        Bytes(value);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        Span<byte> slice = _buffer.AsSpan(_length, count);
        _length += count;
        return slice;
    }
}
