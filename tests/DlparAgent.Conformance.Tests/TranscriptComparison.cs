using DlparAgent.Conformance.Tests.Platforms;

namespace DlparAgent.Conformance.Tests;

/// <summary>
/// Compares two transcripts: aligned by their longest common subsequence, so that a property one
/// platform has and the other lacks is one difference, not a shift of everything after it. Each
/// line left unmatched on either side must be explained by a divergence.
/// </summary>
public static class TranscriptComparison
{
    public static List<string> Unexplained(string scenario, ReferenceMode mode, IReadOnlyList<string> emulated, IReadOnlyList<string> qemu)
    {
        var problems = new List<string>();
        foreach ((string side, int line, string text) in Unmatched(emulated, qemu))
        {
            bool explained = side == "emulated"
                ? Divergences.All.Any(d => d.Covers(scenario, mode, text, null))
                : Divergences.All.Any(d => d.Covers(scenario, mode, null, text));
            if (!explained)
            {
                problems.Add($"only {side}, line {line}: {Clip(text)}");
                if (problems.Count == 12)
                {
                    problems.Add("(more differences follow)");
                    break;
                }
            }
        }

        return problems;
    }

    /// <summary>Lines of either transcript outside their longest common subsequence, in order.</summary>
    public static List<(string Side, int Line, string Text)> Unmatched(IReadOnlyList<string> emulated, IReadOnlyList<string> qemu)
    {
        int n = emulated.Count;
        int m = qemu.Count;
        var lengths = new int[n + 1, m + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            for (int j = m - 1; j >= 0; j--)
            {
                lengths[i, j] = emulated[i] == qemu[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var unmatched = new List<(string, int, string)>();
        int a = 0;
        int b = 0;
        while (a < n || b < m)
        {
            if (a < n && b < m && emulated[a] == qemu[b])
            {
                a++;
                b++;
            }
            else if (b >= m || (a < n && lengths[a + 1, b] >= lengths[a, b + 1]))
            {
                unmatched.Add(("emulated", a + 1, emulated[a]));
                a++;
            }
            else
            {
                unmatched.Add(("qemu", b + 1, qemu[b]));
                b++;
            }
        }

        return unmatched;
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
