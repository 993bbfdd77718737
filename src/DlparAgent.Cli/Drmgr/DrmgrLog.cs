using DlparAgent.Core.Failures;
using DlparAgent.Core.Files;
using DlparAgent.Hosting;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace DlparAgent.Cli.Drmgr;

/// <summary>
/// drmgr's log (spec §4.2): every message of an invocation between two dated separators, after the
/// argument line; one generation kept (<c>.0</c>) once the log reaches 1 MiB; one syslog line
/// (<c>LOCAL0|INFO</c>, <c>drmgr: drmgr: ARGS</c>) per operation. Messages are not truncated. A log
/// that cannot be opened is reported once and the operation goes on without it.
/// </summary>
internal sealed class DrmgrLog : IDisposable
{
    public const long RotateAtBytes = 1 << 20;
    private const int SyslogLocal0Info = (16 << 3) | 6;

    private readonly string _path;
    private readonly LogFileWriter? _file;
    private readonly TextWriter _stderr;

    private DrmgrLog(string path, LogFileWriter? file, TextWriter stderr)
    {
        _path = path;
        _file = file;
        _stderr = stderr;
        Messages = file is null ? stderr : new TeeTextWriter(stderr, file);
        LogOnly = (TextWriter?)file ?? TextWriter.Null;
    }

    private string _argumentLine = string.Empty;
    private string? _syslog;

    /// <summary>Logs the invocation now, for a log opened without it: drmgr's mobility validator accepts the options under the lock.</summary>
    public void WriteArguments()
    {
        SendSyslog(_syslog, _argumentLine);
        _file?.WriteLine(_argumentLine);
    }

    /// <summary>Messages for both stderr and the log (the log must be open only while the DR lock is held).</summary>
    public TextWriter Messages { get; }

    /// <summary>Details for the log only (stderr gets them at detail level 4 and above).</summary>
    public TextWriter LogOnly { get; }

    /// <param name="logArguments">
    /// Whether the invocation is logged (syslog and the argument line): as drmgr, only once its
    /// options were accepted; <c>-C</c>, usage and refused options log only their messages.
    /// </param>
    public static DrmgrLog Open(AgentPaths paths, IReadOnlyList<string> args, TextWriter stderr, string earlierMessages, bool logArguments = true)
    {
        // An argument cannot start a line of its own in the log (or in syslog): control characters are shown escaped.
        string argumentLine = "drmgr: " + string.Join(' ', args.Select(Printable)) + " ";
        if (logArguments)
        {
            SendSyslog(paths.SyslogSocket, argumentLine);
        }

        LogFileWriter? file = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(paths.DrmgrLog))!);
            if (!paths.DrmgrLog.StartsWith("/dev/", StringComparison.Ordinal))
            {
                // A FIFO or another user's file planted at the log would hang drmgr or be written as root.
                OwnedFile.Check(paths.DrmgrLog);
            }

            file = new LogFileWriter(new StreamWriter(new FileStream(paths.DrmgrLog, FileMode.Append, FileAccess.Write, FileShare.ReadWrite),
                new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" }, stderr);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"drmgr: cannot open the log: {IoFailures.Describe(error)}");
        }
        catch (UnsafeFileException error)
        {
            stderr.WriteLine($"drmgr: not logging: {error.Message}");
        }

        file?.Write($"\n{Separator()}\n");
        if (logArguments)
        {
            file?.WriteLine(argumentLine);
        }

        file?.Write(earlierMessages);
        return new DrmgrLog(paths.DrmgrLog, file, stderr) { _argumentLine = argumentLine, _syslog = paths.SyslogSocket };
    }

    public void Dispose()
    {
        if (_file is null)
        {
            return;
        }

        // drmgr's closing separator follows the last line directly.
        _file.Write($"{(_file.EndsWithNewLine ? string.Empty : "\n")}{Separator()}\n");
        long size = _file.Length();
        bool working = _file.Working;
        _file.Dispose();
        if (working && size >= RotateAtBytes)
        {
            _stderr.WriteLine("Rotating logs...");
            try
            {
                File.Move(_path, _path + ".0", overwrite: true);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                _stderr.WriteLine($"drmgr: cannot rotate the log: {IoFailures.Describe(error)}");
            }
        }
    }

    private static string Separator() =>
        "########## " + DateTime.Now.ToString("MMM dd HH:mm:ss yyyy", CultureInfo.InvariantCulture) + " ##########";

    /// <summary>One more syslog line (LOCAL0|INFO), e.g. drmgr's <c>migration rc N</c>.</summary>
    public static void Syslog(string? socketPath, string message) => SendSyslog(socketPath, message);

    /// <summary>Best effort, like syslog(3): a missing or full socket loses the line, never the operation.</summary>
    private static void SendSyslog(string? socketPath, string message)
    {
        if (socketPath is null)
        {
            return;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"<{SyslogLocal0Info}>drmgr: {message}")));
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>The argument with each control character as <c>\n</c>, <c>\t</c> or <c>\xHH</c>.</summary>
    internal static string Printable(string argument) =>
        !argument.Any(char.IsControl) ? argument : string.Concat(argument.Select(c => c switch
        {
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
            _ => c.ToString(),
        }));
}
