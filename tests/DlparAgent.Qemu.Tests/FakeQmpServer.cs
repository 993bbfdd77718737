using System.Net.Sockets;
using System.Text;

namespace DlparAgent.Qemu.Tests;

/// <summary>A scripted QMP peer: sends a greeting, then answers each command line with the lines the script gives.</summary>
internal sealed class FakeQmpServer : IDisposable
{
    public const string Greeting = """{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian"}, "capabilities": ["oob"]}}""";

    private readonly Socket _listener;
    private readonly string _path;

    public FakeQmpServer(Func<string, IEnumerable<string>> script, string greeting = Greeting)
    {
        _path = Path.Combine(Path.GetTempPath(), $"fake-qmp-{Guid.NewGuid():N}.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(1);
        new Thread(() => Serve(script, greeting)) { IsBackground = true }.Start();
    }

    public List<string> Received { get; } = [];

    public QmpClient Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(_path));
        return new QmpClient(new LineChannel(socket, "QMP", TimeSpan.FromSeconds(5)));
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(_path);
    }

    private void Serve(Func<string, IEnumerable<string>> script, string greeting)
    {
        try
        {
            using Socket client = _listener.Accept();
            using var stream = new NetworkStream(client);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\r\n" };
            writer.WriteLine(greeting);
            while (reader.ReadLine() is { } line)
            {
                lock (Received)
                {
                    Received.Add(line);
                }

                foreach (string reply in script(line))
                {
                    writer.WriteLine(reply);
                }
            }
        }
        catch (Exception error) when (error is SocketException or IOException or ObjectDisposedException)
        {
        }
    }
}
