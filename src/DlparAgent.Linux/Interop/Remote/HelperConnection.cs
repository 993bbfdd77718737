using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using DlparAgent.Core.Failures;

namespace DlparAgent.Linux.Interop.Remote;

/// <summary>
/// The host end of the in-guest helper's channel. Calls are framed (the magic <c>DLPR</c>, then
/// little-endian length, id, operation, payload) and may overlap: a reader thread hands each reply to the call with its id,
/// so a blocking read of the error log does not hold up a lock or an rtas call. Every call is
/// counted by operation. A channel that closes or a reply that does not come fails the waiting
/// calls with one clear error instead of hanging.
/// </summary>
public sealed class HelperConnection : IDisposable
{
    /// <summary>Replies larger than this are a broken stream, not data.</summary>
    public const int MaxFrame = 64 << 20;

    private readonly Stream _channel;
    private readonly Lock _writeLock = new();
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<HelperReply>> _pending = new();
    private readonly long[] _counts = new long[Enum.GetValues<HelperOperation>().Length + 1];
    private readonly Thread _reader;
    private int _nextId;
    private long _waitedTicks;
    private volatile string? _broken;

    /// <summary>Connects over <paramref name="channel"/> and makes sure a helper answers on it (skipping any stale bytes).</summary>
    public HelperConnection(Stream channel, TimeSpan? callTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
        CallTimeout = callTimeout ?? TimeSpan.FromSeconds(120);
        _nextId = Random.Shared.Next(1 << 20, 1 << 30);
        Synchronise();
        _reader = new Thread(ReadReplies) { IsBackground = true, Name = "dlpar guest helper" };
        _reader.Start();
    }

    /// <summary>How long a call may wait for its reply (a blocking read of the error log waits with no limit).</summary>
    public TimeSpan CallTimeout { get; }

    /// <summary>Calls made so far, by operation.</summary>
    public IReadOnlyDictionary<HelperOperation, long> Counts =>
        Enum.GetValues<HelperOperation>().ToDictionary(o => o, o => Interlocked.Read(ref _counts[(int)o]));

    /// <summary>Every call made so far.</summary>
    public long TotalCalls => _counts.Sum();

    /// <summary>The time calls spent from sending to their reply (the transport and the guest's work), blocking reads excluded.</summary>
    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    /// <summary>Sends one call and waits for its reply; <paramref name="unbounded"/> calls may block in the guest as long as they need.</summary>
    public HelperReply Call(HelperOperation operation, ReadOnlySpan<byte> payload, bool unbounded = false)
    {
        if (_broken is { } reason)
        {
            throw Broken(reason);
        }

        uint id = unchecked((uint)Interlocked.Increment(ref _nextId));
        long started = Stopwatch.GetTimestamp();
        var reply = new TaskCompletionSource<HelperReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        Interlocked.Increment(ref _counts[(int)operation]);
        byte[] frame = Frame(id, operation, payload);
        try
        {
            lock (_writeLock)
            {
                _channel.Write(frame);
                _channel.Flush();
            }
        }
        catch (IOException error)
        {
            _pending.TryRemove(id, out _);
            throw Broken($"the channel closed while sending {operation} ({error.Message})");
        }

        // WaitAny, unlike Wait, does not throw for a call the reader failed: its error is rethrown as it is below.
        if (Task.WaitAny([reply.Task], unbounded ? Timeout.InfiniteTimeSpan : CallTimeout) < 0)
        {
            _pending.TryRemove(id, out _);
            throw new HelperException(FailureCategory.Unavailable, $"the guest's helper did not answer {operation} within {CallTimeout.TotalSeconds:0} s " +
                "(is the guest hung?)");
        }

        if (!unbounded)
        {
            Interlocked.Add(ref _waitedTicks, Stopwatch.GetElapsedTime(started).Ticks);
        }

        return reply.Task.IsFaulted ? throw reply.Task.Exception!.InnerException! : reply.Task.Result;
    }

    public void Dispose()
    {
        _broken ??= "the connection was closed";
        _channel.Dispose();
        FailPending(_broken);
    }

    private static HelperException Broken(string reason) => new(FailureCategory.Unavailable, $"the guest's helper is gone: {reason}");

    /// <summary>
    /// Starts a session: sends <see cref="HelperOperation.Reset"/> (the helper closes what earlier
    /// clients left open) and reads until that exact reply, skipping bytes a previous connection
    /// left in QEMU's channel. A frame a killed client left half-sent swallows the first request
    /// until the helper drops it (3 s of silence), so the request is repeated every 5 s.
    /// </summary>
    private void Synchronise()
    {
        var waited = Stopwatch.StartNew();
        Task<int>? read = null;
        byte[] window = new byte[20];
        int filled = 0;
        try
        {
            while (true)
            {
                uint id = unchecked((uint)Interlocked.Increment(ref _nextId));
                byte[] expected = new byte[8];
                BinaryPrimitives.WriteUInt32LittleEndian(expected, 16);
                BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(4), id);
                Interlocked.Increment(ref _counts[(int)HelperOperation.Reset]);
                _channel.Write(Frame(id, HelperOperation.Reset, []));
                _channel.Flush();
                TimeSpan attempt = waited.Elapsed + TimeSpan.FromSeconds(5);
                while (true)
                {
                    read ??= _channel.ReadAsync(window.AsMemory(filled, 1)).AsTask();
                    TimeSpan left = Min(attempt, TimeSpan.FromSeconds(30)) - waited.Elapsed;
                    if (left <= TimeSpan.Zero || !read.Wait(left))
                    {
                        if (waited.Elapsed >= TimeSpan.FromSeconds(30))
                        {
                            throw new HelperException(FailureCategory.Unavailable, "no helper answers on the guest's channel within 30 s " +
                                "(is the guest booted, and /sbin/dlpar-guest-helper running on hvc1? another command may be connected to it)");
                        }

                        break;
                    }

                    if (read.Result == 0)
                    {
                        throw Broken("the channel closed before the helper answered");
                    }

                    read = null;
                    filled++;
                    if (filled == window.Length)
                    {
                        if (window.AsSpan(0, 8).SequenceEqual(expected))
                        {
                            return;
                        }

                        // Not the reply yet: slide by one byte.
                        window.AsSpan(1).CopyTo(window);
                        filled--;
                    }
                }
            }
        }
        catch (IOException error)
        {
            throw Broken(error.Message);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>A request: the magic word, then length (of the rest), id, operation and payload.</summary>
    private static byte[] Frame(uint id, HelperOperation operation, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[16 + payload.Length];
        "DLPR"u8.CopyTo(frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)(8 + payload.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), id);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(12), (uint)operation);
        payload.CopyTo(frame.AsSpan(16));
        return frame;
    }

    private void ReadReplies()
    {
        byte[] header = new byte[20];
        try
        {
            while (true)
            {
                _channel.ReadExactly(header);
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header);
                if (length < 16 || length > MaxFrame)
                {
                    throw new InvalidDataException($"a reply frame of {length} bytes");
                }

                uint id = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
                var reply = new HelperReply(BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8)), BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(16)),
                    new byte[length - 16]);
                _channel.ReadExactly(reply.Payload);
                if (_pending.TryRemove(id, out TaskCompletionSource<HelperReply>? waiting))
                {
                    waiting.TrySetResult(reply);
                }
            }
        }
        catch (Exception error) when (error is IOException or EndOfStreamException or InvalidDataException or ObjectDisposedException)
        {
            _broken ??= error is InvalidDataException ? $"the channel carried {error.Message}" : "the channel closed (the guest stopped?)";
            FailPending(_broken);
        }
    }

    private void FailPending(string reason)
    {
        foreach (uint id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out TaskCompletionSource<HelperReply>? waiting))
            {
                waiting.TrySetException(Broken(reason));
            }
        }
    }
}
