using System.Text;
using DlparAgent.Core.Failures;

namespace DlparAgent.Cli.Drmgr;

/// <summary>
/// drmgr's log file, written as a side record: a write that fails (a full disk, an I/O error) is
/// reported once on stderr and the log is dropped; the operation never fails because of its log.
/// </summary>
internal sealed class LogFileWriter(StreamWriter file, TextWriter stderr) : TextWriter
{
    private bool _broken;

    public override Encoding Encoding => file.Encoding;

    /// <summary>False once a write failed: the rest of this run is not logged.</summary>
    public bool Working => !_broken;

    /// <summary>Whether the last text written ended a line (true before anything is written).</summary>
    public bool EndsWithNewLine { get; private set; } = true;

    public override void Write(char value)
    {
        EndsWithNewLine = value == '\n';
        Guard(() => file.Write(value));
    }

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            EndsWithNewLine = value[^1] == '\n';
        }

        Guard(() => file.Write(value));
    }

    public override void WriteLine(string? value)
    {
        EndsWithNewLine = true;
        Guard(() => file.WriteLine(value));
    }

    public override void Flush() => Guard(file.Flush);

    /// <summary>The log's size now, or 0 when it cannot be told.</summary>
    public long Length()
    {
        try
        {
            return file.BaseStream.Length;
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            return 0;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                file.Dispose();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Its last buffered bytes could not be written either; the failure was reported at the first write.
                _broken = true;
            }
        }

        base.Dispose(disposing);
    }

    private void Guard(Action write)
    {
        if (_broken)
        {
            return;
        }

        try
        {
            write();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _broken = true;
            stderr.WriteLine($"drmgr: cannot write the log: {IoFailures.Describe(error)}; going on without it");
        }
    }
}
