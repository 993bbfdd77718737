using DlparAgent.Core.Failures;
using DlparAgent.Cli.Output;

namespace DlparAgent.Cli.Context;

/// <summary>Reads a named input file, or standard input for "-", turning failures into exit codes.</summary>
internal static class InputFile
{
    /// <summary>Largest input read (device trees and event streams are far smaller).</summary>
    private const long MaxBytes = 256L << 20;

    public static byte[] ReadAll(string path, CliContext context)
    {
        try
        {
            if (path == "-")
            {
                using Stream stdin = context.OpenStandardInput();
                using var buffer = new MemoryStream();
                stdin.CopyTo(buffer);
                return buffer.ToArray();
            }

            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxBytes)
            {
                throw new CliException(FailureCategory.BadData, $"{path}: {info.Length} bytes is larger than any input this command reads");
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException(FailureCategory.NoInput, $"{path}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException(FailureCategory.NoInput, $"{path}: permission denied");
        }
        catch (IOException error)
        {
            throw new CliException(FailureCategory.Io, $"{path}: {error.Message}");
        }
    }
}
