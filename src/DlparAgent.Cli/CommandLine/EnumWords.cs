using System.Globalization;
using System.Text;
using DlparAgent.Cli.Output;

namespace DlparAgent.Cli.CommandLine;

/// <summary>Enum values as the lower-case hyphenated words the CLI prints (NotRecovered → not-recovered).</summary>
internal static class EnumWords
{
    public static string Word<T>(T value)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            return Convert.ToUInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        string name = value.ToString();
        var word = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                word.Append('-');
            }

            word.Append(char.ToLowerInvariant(name[i]));
        }

        return word.ToString();
    }

    /// <summary>The set flags of a [Flags] value as comma-separated words, empty for none.</summary>
    public static string Flags<T>(T value)
        where T : struct, Enum
    {
        ulong bits = Convert.ToUInt64(value, CultureInfo.InvariantCulture);
        return string.Join(',', Enum.GetValues<T>()
            .Where(f => Convert.ToUInt64(f, CultureInfo.InvariantCulture) is var b && b != 0 && (bits & b) == b)
            .Select(Word));
    }
}
