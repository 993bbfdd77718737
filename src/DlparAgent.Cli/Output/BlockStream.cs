namespace DlparAgent.Cli.Output;

/// <summary>
/// A write-only stream that hands its bytes to the output in blocks and ignores <see cref="Flush"/>:
/// the JSON serializer flushes after every element it writes, which on an unbuffered stdout would be
/// one write(2) per connector. <see cref="Drain"/> writes what is left.
/// </summary>
internal sealed class BlockStream(Stream output) : Stream
{
    private readonly byte[] _block = new byte[1 << 16];
    private int _used;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_used == _block.Length)
            {
                Drain();
            }

            int taken = Math.Min(buffer.Length, _block.Length - _used);
            buffer[..taken].CopyTo(_block.AsSpan(_used));
            _used += taken;
            buffer = buffer[taken..];
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Deliberately nothing: the block is written when full and by <see cref="Drain"/>.</summary>
    public override void Flush()
    {
    }

    /// <summary>Writes the pending bytes to the output and flushes it.</summary>
    public void Drain()
    {
        output.Write(_block, 0, _used);
        _used = 0;
        output.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
