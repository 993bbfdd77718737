namespace DlparAgent.Core.Formats.Events;

/// <summary>Binary-coded decimal as the Main-A section stores dates and times.</summary>
internal static class Bcd
{
    public static uint Encode(int value, int digits)
    {
        uint result = 0;
        for (int i = 0; i < digits; i++)
        {
            result |= (uint)(value % 10) << (4 * i);
            value /= 10;
        }

        return result;
    }

    public static bool TryDecode(uint bcd, int digits, out int value)
    {
        value = 0;
        for (int i = digits - 1; i >= 0; i--)
        {
            uint digit = (bcd >> (4 * i)) & 0xF;
            if (digit > 9)
            {
                return false;
            }

            value = (value * 10) + (int)digit;
        }

        return true;
    }
}
