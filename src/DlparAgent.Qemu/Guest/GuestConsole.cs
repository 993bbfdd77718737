using System.Globalization;
using System.Text;

namespace DlparAgent.Qemu.Guest;

/// <summary>
/// The guest's console (hvc0) as a command channel: <c>/init</c> evaluates one line at a time
/// with echo off, and each command is wrapped so that its stdout, its stderr and its exit code
/// come back between numbered markers, apart from anything else the console prints.
/// </summary>
public sealed class GuestConsole : IDisposable
{
    /// <summary>A console line is read in canonical mode: the tty takes at most 4095 characters.</summary>
    public const int MaxCommandLength = 3800;

    private readonly LineChannel _channel;
    private int _sequence;

    internal GuestConsole(LineChannel channel) => _channel = channel;

    /// <summary>Waits for <c>/init</c>'s ready line and returns it (<c>DLPAR-GUEST-READY &lt;release&gt; &lt;uptime&gt;</c>).</summary>
    public string WaitReady(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        var seen = new StringBuilder();
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new QemuException(QemuProblem.Timeout,
                    $"the guest did not reach /init within {timeout.TotalSeconds:0} s; its console said: {QemuMachine.LastLines(seen.ToString())}");
            }

            string line;
            try
            {
                line = _channel.ReadLine(left);
            }
            catch (QemuException error) when (error.Problem == QemuProblem.Timeout)
            {
                continue;
            }

            if (line.StartsWith("DLPAR-GUEST-READY", StringComparison.Ordinal))
            {
                return line;
            }

            if (seen.Length < 64 * 1024)
            {
                seen.AppendLine(line);
            }
        }
    }

    /// <summary>Runs a shell command in the guest (stdin from /dev/null) and returns what it printed and its exit code.</summary>
    public GuestCommandResult Run(string command, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        if (command.Contains('\n', StringComparison.Ordinal) || command.Length > MaxCommandLength)
        {
            throw new ArgumentException($"a guest command is one line of at most {MaxCommandLength} characters", nameof(command));
        }

        int n = ++_sequence;
        string begin = $"__DLPAR_B{n}__", split = $"__DLPAR_S{n}__", end = $"__DLPAR_E{n}_";
        _channel.WriteLine($"cd /; echo {begin}; {{ {command} ; }} >/tmp/.dlpar-out 2>/tmp/.dlpar-err </dev/null; rc=$?; cat /tmp/.dlpar-out; " +
            $"echo; echo {split}; cat /tmp/.dlpar-err; echo; echo {end}${{rc}}__");
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        string Next()
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            return left > TimeSpan.Zero
                ? _channel.ReadLine(left)
                : throw new QemuException(QemuProblem.Timeout, $"the guest did not finish '{command}' in time");
        }

        while (Next() != begin)
        {
            // Whatever the console printed before the command began (a kernel message, say).
        }

        var output = new StringBuilder();
        for (string line = Next(); line != split; line = Next())
        {
            output.Append(line).Append('\n');
        }

        var error = new StringBuilder();
        while (true)
        {
            string line = Next();
            if (line.StartsWith(end, StringComparison.Ordinal) && line.EndsWith("__", StringComparison.Ordinal))
            {
                int code = int.Parse(line[end.Length..^2], NumberStyles.Integer, CultureInfo.InvariantCulture);
                return new GuestCommandResult(code, Trim(output), Trim(error));
            }

            error.Append(line).Append('\n');
        }
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>Drops the newline the wrapper adds after each stream (so a stream without a final newline keeps its exact text).</summary>
    private static string Trim(StringBuilder text) => text.Length > 0 ? text.ToString(0, text.Length - 1) : string.Empty;
}
