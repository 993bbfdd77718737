namespace DlparAgent.Cli.Drmgr;

/// <summary>glibc versionsort order for hook names: runs of digits compare by value, so 2-x runs before 10-y.</summary>
internal sealed class VersionOrder : IComparer<string>
{
    public static VersionOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        string a = Path.GetFileName(x) ?? string.Empty, b = Path.GetFileName(y) ?? string.Empty;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                int startA = i, startB = j;
                while (i < a.Length && char.IsAsciiDigit(a[i]))
                {
                    i++;
                }

                while (j < b.Length && char.IsAsciiDigit(b[j]))
                {
                    j++;
                }

                ReadOnlySpan<char> digitsA = a.AsSpan(startA, i - startA).TrimStart('0'), digitsB = b.AsSpan(startB, j - startB).TrimStart('0');
                int byValue = digitsA.Length != digitsB.Length ? digitsA.Length.CompareTo(digitsB.Length) : digitsA.SequenceCompareTo(digitsB);
                if (byValue != 0)
                {
                    return byValue;
                }

                continue;
            }

            if (a[i] != b[j])
            {
                return a[i].CompareTo(b[j]);
            }

            i++;
            j++;
        }

        return (a.Length - i).CompareTo(b.Length - j) is var rest && rest != 0 ? rest : string.CompareOrdinal(a, b);
    }
}
