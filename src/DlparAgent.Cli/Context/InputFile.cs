using DlparAgent.Core.Failures;

namespace DlparAgent.Cli.Context;

/// <summary>
/// Reads a named input, or standard input for "-", turning failures into exit codes. Every input
/// is read incrementally under one cap, so a pipe or a device cannot exhaust memory.
/// </summary>
internal static class InputFile
{
    /// <summary>Largest binary input read (device trees and event streams are far smaller).</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>Largest text input read line by line (requests, RTAS console calls).</summary>
    public const long MaxTextBytes = 16L << 20;

    private const int ChunkBytes = 1 << 20;

    public static byte[] ReadAll(string path, CliContext context)
    {
        using BoundedReadStream input = Open(path, context, MaxBytes);
        try
        {
            // Chunks, not a growing array: a refused input never costs more than the cap.
            var chunks = new List<byte[]>();
            int last = ChunkBytes;
            while (true)
            {
                if (last == ChunkBytes)
                {
                    chunks.Add(new byte[ChunkBytes]);
                    last = 0;
                }

                int read = input.Read(chunks[^1].AsSpan(last));
                if (read == 0)
                {
                    break;
                }

                last += read;
            }

            byte[] all = new byte[((chunks.Count - 1) * ChunkBytes) + last];
            for (int i = 0; i < chunks.Count; i++)
            {
                chunks[i].AsSpan(0, i == chunks.Count - 1 ? last : ChunkBytes).CopyTo(all.AsSpan(i * ChunkBytes));
            }

            return all;
        }
        catch (IOException error)
        {
            throw new CliException(FailureCategory.Io, $"cannot read {Name(path)}: {IoFailures.Describe(error)}");
        }
    }

    /// <summary>Standard input as text, under <see cref="MaxTextBytes"/>.</summary>
    public static StreamReader OpenStandardInputText(CliContext context) => new(Open("-", context, MaxTextBytes));

    private static BoundedReadStream Open(string path, CliContext context, long limit)
    {
        try
        {
            Stream raw = path == "-" ? context.OpenStandardInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            return new BoundedReadStream(raw, limit, Name(path));
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException(FailureCategory.NoInput, $"{path}: no such file");
        }
        catch (UnauthorizedAccessException error)
        {
            throw new CliException(FailureCategory.NoInput, IoFailures.Describe(error));
        }
        catch (IOException error)
        {
            throw new CliException(FailureCategory.Io, $"cannot open {path}: {IoFailures.Describe(error)}");
        }
    }

    private static string Name(string path) => path == "-" ? "standard input" : path;
}
