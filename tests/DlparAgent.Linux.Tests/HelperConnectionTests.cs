using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using DlparAgent.Linux.Interop.Remote;

namespace DlparAgent.Linux.Tests;

/// <summary>
/// The transport to the in-guest helper, against a scripted helper on a socket pair: stale bytes
/// are skipped, calls overlap, and a helper that goes away or stops answering fails the waiting
/// calls with one clear error instead of a hang.
/// </summary>
public sealed class HelperConnectionTests : IDisposable
{
    private readonly Socket _host;
    private readonly Socket _guest;

    public HelperConnectionTests()
    {
        string path = Path.Combine(Path.GetTempPath(), $"dlpar-helper-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        _host = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _host.Connect(new UnixDomainSocketEndPoint(path));
        _guest = listener.Accept();
        File.Delete(path);
    }

    [Fact]
    public async Task Bytes_a_previous_client_left_are_skipped_before_the_first_reply()
    {
        Task helper = Task.Run(() =>
        {
            (uint id, HelperOperation op, _) = ReadRequest();
            Assert.Equal(HelperOperation.Reset, op);
            _guest.Send([1, 2, 3, 16, 0, 0, 0, 9]);
            Reply(id, 0, 0, []);
            (id, op, byte[] payload) = ReadRequest();
            Assert.Equal((HelperOperation.Stat, "/proc"), (op, System.Text.Encoding.UTF8.GetString(payload)));
            Reply(id, 2, 0, []);
        });

        using var connection = new HelperConnection(new NetworkStream(_host));
        HelperReply reply = connection.Call(HelperOperation.Stat, "/proc"u8);

        Assert.Equal(2, reply.Result);
        Assert.Equal(2, connection.TotalCalls);
        await helper;
    }

    [Fact]
    public async Task A_first_request_swallowed_by_a_half_sent_frame_is_repeated()
    {
        Task helper = Task.Run(() =>
        {
            // As if it had gone into the payload of a frame a killed client left unfinished.
            Assert.Equal(HelperOperation.Reset, ReadRequest().Op);
            (uint id, HelperOperation op, _) = ReadRequest();
            Assert.Equal(HelperOperation.Reset, op);
            Reply(id, 0, 0, []);
        });

        var clock = Stopwatch.StartNew();
        using var connection = new HelperConnection(new NetworkStream(_host));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(20));
        Assert.Equal(2, connection.Counts[HelperOperation.Reset]);
        await helper;
    }

    [Fact]
    public async Task A_blocking_call_does_not_hold_up_a_later_one()
    {
        var blocked = new TaskCompletionSource<uint>();
        Task helper = Task.Run(() =>
        {
            Reply(ReadRequest().Id, 0, 0, []);
            blocked.SetResult(ReadRequest().Id);
            (uint later, _, _) = ReadRequest();
            Reply(later, 1, 0, []);
            Reply(blocked.Task.GetAwaiter().GetResult(), 7, 0, [1, 2, 3, 4, 5, 6, 7]);
        });

        using var connection = new HelperConnection(new NetworkStream(_host));
        Task<HelperReply> read = Task.Run(() => connection.Call(HelperOperation.Read, new byte[8], unbounded: true));
        await blocked.Task;
        HelperReply stat = connection.Call(HelperOperation.Stat, "/sys"u8);

        Assert.Equal(1, stat.Result);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], (await read).Payload);
        await helper;
    }

    [Fact]
    public async Task A_helper_that_goes_away_fails_the_waiting_call_at_once()
    {
        Task helper = Task.Run(() =>
        {
            Reply(ReadRequest().Id, 0, 0, []);
            ReadRequest();
            _guest.Close();
        });

        using var connection = new HelperConnection(new NetworkStream(_host));
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<HelperException>(() => connection.Call(HelperOperation.ReadFile, "/proc/device-tree/name"u8));

        Assert.StartsWith("the guest's helper is gone", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Throws<HelperException>(() => connection.Call(HelperOperation.Stat, "/"u8));
        await helper;
    }

    [Fact]
    public async Task A_helper_that_stops_answering_times_out_with_a_clear_error()
    {
        Task helper = Task.Run(() => Reply(ReadRequest().Id, 0, 0, []));

        using var connection = new HelperConnection(new NetworkStream(_host), TimeSpan.FromMilliseconds(300));
        var error = Assert.Throws<HelperException>(() => connection.Call(HelperOperation.Stat, "/"u8));

        Assert.Contains("did not answer Stat within", error.Message, StringComparison.Ordinal);
        await helper;
    }

    public void Dispose()
    {
        _host.Dispose();
        _guest.Dispose();
    }

    private (uint Id, HelperOperation Op, byte[] Payload) ReadRequest()
    {
        byte[] header = Receive(16);
        Assert.Equal("DLPR"u8.ToArray(), header[..4]);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        return (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)), (HelperOperation)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12)),
            Receive(length - 8));
    }

    private void Reply(uint id, long result, int errno, byte[] payload)
    {
        byte[] frame = new byte[20 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(16 + payload.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), id);
        BinaryPrimitives.WriteInt64LittleEndian(frame.AsSpan(8), result);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(16), errno);
        payload.CopyTo(frame, 20);
        _guest.Send(frame);
    }

    private byte[] Receive(int length)
    {
        byte[] buffer = new byte[length];
        for (int read = 0; read < length;)
        {
            int n = _guest.Receive(buffer, read, length - read, SocketFlags.None);
            Assert.True(n > 0, "the connection closed");
            read += n;
        }

        return buffer;
    }
}
