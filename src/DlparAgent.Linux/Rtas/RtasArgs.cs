using System.Buffers.Binary;

namespace DlparAgent.Linux.Rtas;

/// <summary>
/// <c>struct rtas_args</c> as the syscall reads it, always big-endian: token, nargs, nret, then
/// 16 words shared by inputs and outputs (status first); 8 bytes of padding and the unused
/// <c>rets</c> pointer complete the 88-byte ppc64 layout.
/// </summary>
public static class RtasArgs
{
    public const int Size = 88;
    public const int MaxWords = 16;
    public const int TokenOffset = 0;
    public const int InputCountOffset = 4;
    public const int OutputCountOffset = 8;
    public const int WordsOffset = 12;

    public static void Write(Span<byte> block, uint token, ReadOnlySpan<uint> inputs, int outputCount)
    {
        if (inputs.Length >= MaxWords || outputCount < 1 || inputs.Length + outputCount > MaxWords)
        {
            // The kernel's own limits (nargs < 16, nargs + nret <= 16).
            throw new ArgumentException($"{inputs.Length} inputs and {outputCount} outputs do not fit an RTAS argument block");
        }

        block[..Size].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(block[TokenOffset..], token);
        BinaryPrimitives.WriteUInt32BigEndian(block[InputCountOffset..], (uint)inputs.Length);
        BinaryPrimitives.WriteUInt32BigEndian(block[OutputCountOffset..], (uint)outputCount);
        for (int i = 0; i < inputs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(block[(WordsOffset + (4 * i))..], inputs[i]);
        }
    }

    public static uint Word(ReadOnlySpan<byte> block, int word) => BinaryPrimitives.ReadUInt32BigEndian(block[(WordsOffset + (4 * word))..]);

    public static void SetWord(Span<byte> block, int word, uint value) => BinaryPrimitives.WriteUInt32BigEndian(block[(WordsOffset + (4 * word))..], value);

    public static uint Token(ReadOnlySpan<byte> block) => BinaryPrimitives.ReadUInt32BigEndian(block[TokenOffset..]);

    public static int InputCount(ReadOnlySpan<byte> block) => (int)BinaryPrimitives.ReadUInt32BigEndian(block[InputCountOffset..]);

    public static int OutputCount(ReadOnlySpan<byte> block) => (int)BinaryPrimitives.ReadUInt32BigEndian(block[OutputCountOffset..]);
}
