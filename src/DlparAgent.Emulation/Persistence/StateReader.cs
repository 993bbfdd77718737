using System.Text;
using DlparAgent.Core.Formats;

namespace DlparAgent.Emulation.Persistence;

/// <summary>The state codec's reader; every read is bounds-checked and names its field.</summary>
internal ref struct StateReader(ReadOnlySpan<byte> data)
{
    private BigEndianReader _reader = new(data, "machine-state");

    public readonly bool AtEnd => _reader.AtEnd;

    public byte Byte(string field) => _reader.ReadByte(field);

    public bool Bool(string field) => _reader.ReadByte(field) switch
    {
        0 => false,
        1 => true,
        var other => throw _reader.Error(field, $"{other} is not a boolean"),
    };

    public uint U32(string field) => _reader.ReadUInt32(field);

    public int I32(string field) => unchecked((int)_reader.ReadUInt32(field));

    public ulong U64(string field) => _reader.ReadUInt64(field);

    public string String(string field)
    {
        int length = _reader.ReadUInt16(field);
        return Encoding.UTF8.GetString(_reader.ReadBytes(length, field));
    }

    public string? OptionalString(string field) => Bool(field) ? String(field) : null;

    public uint? OptionalU32(string field)
    {
        bool present = Bool(field);
        uint value = U32(field);
        return present ? value : null;
    }

    public byte[] Blob(string field)
    {
        uint length = _reader.ReadUInt32(field);
        if (length > (uint)_reader.Remaining)
        {
            throw _reader.Error(field, $"{length} bytes declared but {_reader.Remaining} remain");
        }

        return _reader.ReadBytes((int)length, field).ToArray();
    }

    /// <summary>A count of items that each take at least <paramref name="minimumItemSize"/> bytes.</summary>
    public int Count(string field, int minimumItemSize)
    {
        uint count = _reader.ReadUInt32(field);
        if (count > (uint)(_reader.Remaining / Math.Max(1, minimumItemSize)))
        {
            throw _reader.Error(field, $"{count} items cannot fit in the {_reader.Remaining} bytes that remain");
        }

        return (int)count;
    }

    public readonly DlparFormatException Error(string field, string detail) => _reader.Error(field, detail);
}
