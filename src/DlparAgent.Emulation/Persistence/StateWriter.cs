using System.Text;
using DlparAgent.Core.Formats;

namespace DlparAgent.Emulation.Persistence;

/// <summary>The state codec's writer: big-endian numbers and length-prefixed UTF-8 strings.</summary>
internal sealed class StateWriter(int capacity)
{
    private readonly BigEndianWriter _writer = new(capacity);

    public ReadOnlySpan<byte> WrittenSpan => _writer.WrittenSpan;

    public void Byte(byte value) => _writer.WriteByte(value);

    public void Bool(bool value) => _writer.WriteByte(value ? (byte)1 : (byte)0);

    public void U32(uint value) => _writer.WriteUInt32(value);

    public void I32(int value) => _writer.WriteUInt32(unchecked((uint)value));

    public void U64(ulong value) => _writer.WriteUInt64(value);

    public void String(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        _writer.WriteUInt16(checked((ushort)bytes.Length));
        _writer.WriteBytes(bytes);
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

    public void Blob(ReadOnlySpan<byte> value)
    {
        _writer.WriteUInt32((uint)value.Length);
        _writer.WriteBytes(value);
    }
}
