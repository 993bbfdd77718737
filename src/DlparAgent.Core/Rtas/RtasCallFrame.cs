namespace DlparAgent.Core.Rtas;

/// <summary>
/// The argument block of one raw RTAS call (Linux <c>struct rtas_args</c> in host form): token,
/// input and output counts, and 16 words shared by inputs (first) and outputs (after them).
/// Reused between calls so that dispatch allocates nothing.
/// </summary>
public sealed class RtasCallFrame
{
    public const int MaxWords = 16;

    public uint Token { get; set; }

    public int InputCount { get; set; }

    public int OutputCount { get; set; }

    public uint[] Words { get; } = new uint[MaxWords];

    /// <summary>Sets up a call; outputs are cleared.</summary>
    public RtasCallFrame Set(uint token, int outputCount, params ReadOnlySpan<uint> inputs)
    {
        if (inputs.Length + outputCount > MaxWords || outputCount < 0)
        {
            throw new ArgumentException($"{inputs.Length} inputs and {outputCount} outputs exceed {MaxWords} words");
        }

        Token = token;
        InputCount = inputs.Length;
        OutputCount = outputCount;
        Array.Clear(Words);
        inputs.CopyTo(Words);
        return this;
    }

    /// <summary>Output k (0 is the status).</summary>
    public uint Output(int k) => Words[InputCount + k];

    public RtasStatus Status => new(unchecked((int)Words[InputCount]));
}
