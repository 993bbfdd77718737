namespace DlparAgent.Core.Formats;

/// <summary>
/// Bytes written as hex text: either one continuous hex string, or dump lines with an optional
/// <c>offset:</c> prefix, two-digit byte tokens, and anything after the first other token (or a
/// <c>#</c>) ignored as a comment.
/// </summary>
public static class HexText
{
    private const string Format = "hex-text";

    /// <summary>True when the input looks like hex text rather than binary.</summary>
    public static bool LooksLikeHex(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return false;
        }

        bool sawHexDigit = false;
        foreach (byte b in data)
        {
            if (b is (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)' ')
            {
                continue;
            }

            if (b < 0x20 || b >= 0x7F)
            {
                return false;
            }

            sawHexDigit |= Uri.IsHexDigit((char)b);
        }

        return sawHexDigit;
    }

    public static byte[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new List<byte>();
        string[] lines = text.Split('\n');
        for (int lineNumber = 0; lineNumber < lines.Length; lineNumber++)
        {
            string line = lines[lineNumber];
            int comment = line.IndexOf('#');
            if (comment >= 0)
            {
                line = line[..comment];
            }

            string[] tokens = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            int first = 0;
            if (tokens.Length > 0 && tokens[0].EndsWith(':'))
            {
                if (!IsHex(tokens[0].AsSpan(0, tokens[0].Length - 1)))
                {
                    throw new DlparFormatException(Format, $"line {lineNumber + 1}", -1, $"'{tokens[0]}' is not a hex offset");
                }

                first = 1;
            }

            for (int i = first; i < tokens.Length; i++)
            {
                string token = tokens[i];
                if (token.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    token = token[2..];
                }

                if (!IsHex(token) || token.Length % 2 != 0)
                {
                    if (i == first)
                    {
                        throw new DlparFormatException(Format, $"line {lineNumber + 1}", -1, $"'{tokens[i]}' is not a sequence of hex byte pairs");
                    }

                    break; // the rest of the line is a comment
                }

                for (int j = 0; j < token.Length; j += 2)
                {
                    bytes.Add(Convert.ToByte(token.Substring(j, 2), 16));
                }
            }
        }

        if (bytes.Count == 0)
        {
            throw new DlparFormatException(Format, "input", -1, "no hex bytes found");
        }

        return [.. bytes];
    }

    private static bool IsHex(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty)
        {
            return false;
        }

        foreach (char c in token)
        {
            if (!Uri.IsHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
