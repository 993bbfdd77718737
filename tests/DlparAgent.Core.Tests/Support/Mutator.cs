using System.Buffers.Binary;

namespace DlparAgent.Core.Tests.Support;

/// <summary>
/// Seeded mutations of a valid input: byte flips, interesting 32-bit values at aligned offsets
/// (where lengths and counts live), truncation, insertion, deletion and splicing.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly uint[] Interesting = [0, 1, 2, 3, 4, 7, 8, 16, 20, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE,
        0xFFFFFFFF];

    private readonly Random _random = new(seed);

    public byte[] Mutate(byte[] input)
    {
        byte[] data = (byte[])input.Clone();
        int rounds = 1 + _random.Next(4);
        for (int round = 0; round < rounds; round++)
        {
            data = _random.Next(8) switch
            {
                0 => Truncate(data),
                1 => InsertBytes(data),
                2 => DeleteBytes(data),
                3 => SetWord(data),
                4 => SetWord(data),
                5 => SetShort(data),
                6 => Splice(data),
                _ => FlipBytes(data),
            };
        }

        return data;
    }

    private byte[] Truncate(byte[] data) => data.Length == 0 ? data : data[.._random.Next(data.Length)];

    private byte[] FlipBytes(byte[] data)
    {
        if (data.Length == 0)
        {
            return data;
        }

        int count = 1 + _random.Next(4);
        for (int i = 0; i < count; i++)
        {
            data[_random.Next(data.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return data;
    }

    private byte[] SetWord(byte[] data)
    {
        if (data.Length < 4)
        {
            return FlipBytes(data);
        }

        int offset = _random.Next(data.Length / 4) * 4;
        uint value = _random.Next(3) == 0 ? (uint)_random.Next() : Interesting[_random.Next(Interesting.Length)];
        if (_random.Next(2) == 0)
        {
            value = unchecked(BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset)) + (uint)(_random.Next(9) - 4));
        }

        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset), value);
        return data;
    }

    private byte[] SetShort(byte[] data)
    {
        if (data.Length < 2)
        {
            return FlipBytes(data);
        }

        int offset = _random.Next(data.Length - 1);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset), (ushort)Interesting[_random.Next(Interesting.Length)]);
        return data;
    }

    private byte[] InsertBytes(byte[] data)
    {
        int at = _random.Next(data.Length + 1);
        byte[] extra = new byte[1 + _random.Next(8)];
        _random.NextBytes(extra);
        return [.. data.AsSpan(0, at), .. extra, .. data.AsSpan(at)];
    }

    private byte[] DeleteBytes(byte[] data)
    {
        if (data.Length == 0)
        {
            return data;
        }

        int at = _random.Next(data.Length);
        int count = Math.Min(data.Length - at, 1 + _random.Next(8));
        return [.. data.AsSpan(0, at), .. data.AsSpan(at + count)];
    }

    private byte[] Splice(byte[] data)
    {
        if (data.Length < 2)
        {
            return data;
        }

        int from = _random.Next(data.Length);
        int to = _random.Next(data.Length);
        int count = Math.Min(Math.Min(data.Length - from, data.Length - to), 1 + _random.Next(16));
        data.AsSpan(from, count).ToArray().CopyTo(data.AsSpan(to));
        return data;
    }
}
