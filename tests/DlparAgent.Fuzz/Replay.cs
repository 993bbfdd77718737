namespace DlparAgent.Fuzz;

/// <summary>Runs inputs through a target without the fuzzer: a finding reproduces here with its stack trace.</summary>
public static class Replay
{
    /// <returns>0 when every input was read or refused as documented, 1 when one was a finding.</returns>
    public static int Run(FuzzTarget target, IEnumerable<string> paths, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(output);
        int findings = 0, inputs = 0;
        IEnumerable<string> files = paths.SelectMany<string, string>(p =>
            Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order() : [p]);
        foreach (string file in files)
        {
            inputs++;
            if (Failure(target, File.ReadAllBytes(file)) is { } failure)
            {
                findings++;
                output.WriteLine($"{target.Name}: {file}: {failure}");
            }
        }

        output.WriteLine($"{target.Name}: {inputs} inputs, {findings} findings");
        return findings == 0 ? 0 : 1;
    }

    /// <summary>The exception an input raises beyond the target's documented refusals, or null.</summary>
    public static Exception? Failure(FuzzTarget target, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(target);
        try
        {
            target.Run(input);
            return null;
        }
#pragma warning disable CA1031 // A finding is any exception at all.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return error;
        }
    }
}
