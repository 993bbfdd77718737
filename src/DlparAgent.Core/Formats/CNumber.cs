namespace DlparAgent.Core.Formats;

/// <summary>
/// Unsigned numbers written the way C's <c>strtoul(s, NULL, 0)</c> and the kernel's
/// <c>kstrtou32(s, 0)</c> read them: <c>0x</c> hex, a leading <c>0</c> octal, otherwise decimal.
/// </summary>
public static class CNumber
{
    /// <summary>
    /// Parses like the kernel's <c>kstrtou32(text, 0)</c>: an optional <c>+</c>, the radix prefix,
    /// at least one digit, optionally one trailing newline, nothing else, no overflow.
    /// </summary>
    public static bool TryParseKernelU32(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        if (text.Length > 0 && text[^1] == '\n')
        {
            text = text[..^1];
        }

        if (text.Length > 0 && text[0] == '+')
        {
            text = text[1..];
        }

        return TryParseDigits(text, out value);
    }

    /// <summary>Parses a whole token as a C number (no sign, no surrounding text).</summary>
    public static bool TryParseU32(ReadOnlySpan<char> text, out uint value) => TryParseDigits(text, out value);

    /// <summary>Parses a whole token as a 64-bit C number.</summary>
    public static bool TryParseU64(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        int radix = DetectRadix(ref text);
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            int digit = DigitValue(c);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }

            value = (value * (ulong)radix) + (ulong)digit;
        }

        return true;
    }

    private static bool TryParseDigits(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        if (!TryParseU64(text, out ulong wide) || wide > uint.MaxValue)
        {
            return false;
        }

        value = (uint)wide;
        return true;
    }

    private static int DetectRadix(ref ReadOnlySpan<char> text)
    {
        if (text.Length >= 3 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && Uri.IsHexDigit(text[2]))
        {
            text = text[2..];
            return 16;
        }

        if (text.Length >= 1 && text[0] == '0')
        {
            return 8;
        }

        return 10;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
