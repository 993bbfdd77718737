using System.Globalization;

namespace DlparAgent.Cli.Lsslot;

/// <summary>
/// lsslot's order of slot names (location codes such as <c>C24</c> or
/// <c>U8233.E8B.1000C9P-V1-C3</c>): part by part between hyphens, by the part's type letter, then
/// by the instance number that follows it read as hexadecimal, then by the rest of the part.
/// </summary>
internal static class LocationCodeOrder
{
    public static int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        string[] leftParts = left.Split('-'), rightParts = right.Split('-');
        for (int i = 0; i < Math.Min(leftParts.Length, rightParts.Length); i++)
        {
            int order = ComparePart(leftParts[i], rightParts[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return leftParts.Length.CompareTo(rightParts.Length);
    }

    private static int ComparePart(string left, string right)
    {
        if (left.Length == 0 || right.Length == 0)
        {
            return left.Length.CompareTo(right.Length);
        }

        int order = left[0].CompareTo(right[0]);
        if (order != 0)
        {
            return order;
        }

        (ulong leftNumber, string leftRest) = Instance(left[1..]);
        (ulong rightNumber, string rightRest) = Instance(right[1..]);
        order = leftNumber.CompareTo(rightNumber);
        return order != 0 ? order : string.CompareOrdinal(leftRest, rightRest);
    }

    /// <summary>The leading hexadecimal digits as a number (0 when none), and what follows them.</summary>
    private static (ulong Number, string Tail) Instance(string text)
    {
        int digits = 0;
        while (digits < text.Length && digits < 16 && char.IsAsciiHexDigit(text[digits]))
        {
            digits++;
        }

        ulong number = digits == 0 ? 0 : ulong.Parse(text.AsSpan(0, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return (number, text[digits..]);
    }
}
