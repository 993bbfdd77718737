using System.Net.Sockets;
using System.Text;

namespace DlparAgent.Qemu;

/// <summary>
/// A line-oriented connection to one of QEMU's sockets (qtest and QMP both speak in lines).
/// A closed socket means QEMU went away; a read that waits too long is a timeout.
/// </summary>
internal sealed class LineChannel(Socket socket, string name, TimeSpan timeout) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public string Name => name;

    public void WriteLine(string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        try
        {
            int sent = 0;
            while (sent < bytes.Length)
            {
                sent += socket.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
            }
        }
        catch (SocketException error)
        {
            throw new QemuException(QemuProblem.Died, $"QEMU closed its {name} connection ({error.SocketErrorCode})", error);
        }
        catch (ObjectDisposedException error)
        {
            throw new QemuException(QemuProblem.Died, $"the {name} connection is closed", error);
        }
    }

    /// <summary>The next line without its terminator; waits at most the channel's timeout (or <paramref name="wait"/>).</summary>
    public string ReadLine(TimeSpan? wait = null)
    {
        DateTime deadline = DateTime.UtcNow + (wait ?? timeout);
        var line = new StringBuilder();
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                line.Append(Encoding.UTF8.GetString(_buffer, _start, newline - _start));
                _start = newline + 1;
                return line.ToString().TrimEnd('\r');
            }

            line.Append(Encoding.UTF8.GetString(_buffer, _start, _end - _start));
            _start = _end = 0;
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !socket.Poll(left, SelectMode.SelectRead))
            {
                throw new QemuException(QemuProblem.Timeout, $"QEMU did not answer on its {name} connection within {(wait ?? timeout).TotalSeconds:0.#} s");
            }

            int read;
            try
            {
                read = socket.Receive(_buffer, 0, _buffer.Length, SocketFlags.None);
            }
            catch (SocketException error)
            {
                throw new QemuException(QemuProblem.Died, $"QEMU closed its {name} connection ({error.SocketErrorCode})", error);
            }

            if (read == 0)
            {
                throw new QemuException(QemuProblem.Died, $"QEMU closed its {name} connection");
            }

            _end = read;
        }
    }

    /// <summary>True when a whole or partial line is waiting (without blocking).</summary>
    public bool HasPending => _end > _start || socket.Available > 0;

    public void Dispose() => socket.Dispose();
}
