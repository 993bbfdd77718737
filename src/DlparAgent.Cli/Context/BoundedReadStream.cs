using DlparAgent.Core.Failures;

namespace DlparAgent.Cli.Context;

/// <summary>
/// A read-only view of an input that fails, with one clear line, once it yields more than its
/// limit: standard input, a pipe or a device such as <c>/dev/zero</c> has no length to check first.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, string name) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // One byte past the limit is enough to know the input is too large.
        int allowed = (int)Math.Min(buffer.Length, limit - _read + 1);
        int read = inner.Read(buffer[..allowed]);
        _read += read;
        if (_read > limit)
        {
            throw new CliException(FailureCategory.BadData, $"{name}: more than {Describe(limit)}, larger than any input this command reads");
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string Describe(long bytes) => bytes >= 1 << 20 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";
}
