using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Firmware;

namespace DlparAgent.Qemu.Tests;

/// <summary>
/// A stand-in for QEMU's qtest socket: guest memory is a buffer, and <c>rtas NAME …</c> decodes the
/// argument cells from it and runs the emulated platform's raw dispatch, writing the results back
/// where QEMU would. Every command line is recorded, so tests check the exact protocol bytes.
/// </summary>
internal sealed class FakeQemuServer : IDisposable
{
    /// <summary>What a script returns to close the connection, as a dying QEMU does.</summary>
    public const string Close = "\0close";

    private const ulong MemoryBase = 0x100_0000;
    private readonly Socket _listener;
    private readonly string _path;
    private readonly Thread _thread;
    private readonly GuestMemory _memory = new(MemoryBase, 0x4000);
    private readonly Func<string, string?>? _script;

    public FakeQemuServer(EmulatedPlatform? platform = null, Func<string, string?>? script = null)
    {
        Platform = platform;
        _script = script;
        _path = Path.Combine(Path.GetTempPath(), $"fake-qtest-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(1);
        _thread = new Thread(Serve) { IsBackground = true };
        _thread.Start();
    }

    public EmulatedPlatform? Platform { get; }

    public List<string> Commands { get; } = [];

    public QtestClient Connect(TimeSpan? timeout = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(_path));
        return new QtestClient(new LineChannel(socket, "qtest", timeout ?? TimeSpan.FromSeconds(5)));
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(_path);
    }

    private void Serve()
    {
        try
        {
            using Socket client = _listener.Accept();
            using var stream = new NetworkStream(client);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
            while (reader.ReadLine() is { } line)
            {
                lock (Commands)
                {
                    Commands.Add(line);
                }

                string reply = _script?.Invoke(line) ?? Answer(line.Split(' '));
                if (reply == Close)
                {
                    return;
                }

                writer.WriteLine(reply);
            }
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private string Answer(string[] words)
    {
        switch (words[0])
        {
            case "b64write":
                Convert.FromBase64String(words[3]).CopyTo(Span(words[1], words[2]));
                return "OK";
            case "b64read":
                return "OK " + Convert.ToBase64String(Span(words[1], words[2]));
            case "memset":
                Span(words[1], words[2]).Fill((byte)Number(words[3]));
                return "OK";
            case "rtas":
                return Rtas(words[1], (int)Number(words[2]), Number(words[3]), (int)Number(words[4]), Number(words[5]));
            default:
                return "FAIL unknown command";
        }
    }

    private string Rtas(string service, int nargs, ulong args, int nret, ulong rets)
    {
        if (Platform is null || EmulatedPlatform.TokenOf(service) is not { } token)
        {
            return "OK 18446744073709551612";
        }

        Span<byte> argBytes = Span(args, nargs * 4);
        var inputs = new uint[nargs];
        for (int i = 0; i < nargs; i++)
        {
            inputs[i] = BinaryPrimitives.ReadUInt32BigEndian(argBytes[(i * 4)..]);
        }

        var frame = new RtasCallFrame().Set(token, nret, inputs);
        Platform.Dispatch(frame, _memory);
        Span<byte> retBytes = Span(rets, nret * 4);
        for (int i = 0; i < nret; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(retBytes[(i * 4)..], frame.Output(i));
        }

        return "OK 0";
    }

    private Span<byte> Span(string address, string length) => Span(Number(address), (int)Number(length));

    private Span<byte> Span(ulong address, int length) =>
        _memory.TryGetSpan(address, length, out Span<byte> span) ? span : throw new IOException($"address 0x{address:x} outside the fake guest memory");

    private static ulong Number(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal)
            ? ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(text, CultureInfo.InvariantCulture);
}
