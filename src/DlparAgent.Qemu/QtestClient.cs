using System.Buffers.Binary;
using System.Globalization;

namespace DlparAgent.Qemu;

/// <summary>
/// QEMU's qtest protocol: one command per line, answered <c>OK …</c>, <c>FAIL …</c> or
/// <c>ERR …</c>. Memory is read and written raw (base64); <c>rtas</c> runs a service by name
/// on the first vCPU with its argument and result cells in guest memory.
/// </summary>
public sealed class QtestClient : IDisposable
{
    /// <summary>QEMU's answer to <c>rtas</c> for a name it has no service for (H_PARAMETER as an unsigned 64-bit value).</summary>
    public const ulong UnknownService = 18446744073709551612;

    private readonly LineChannel _channel;

    internal QtestClient(LineChannel channel) => _channel = channel;

    /// <summary>Commands sent so far (for the overhead figure and tests).</summary>
    public long Commands { get; private set; }

    public void Write(ulong address, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        Command(Invariant($"b64write 0x{address:x} 0x{bytes.Length:x} {Convert.ToBase64String(bytes)}"));
    }

    public void Read(ulong address, Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        string reply = Command(Invariant($"b64read 0x{address:x} 0x{destination.Length:x}"));
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(reply);
        }
        catch (FormatException error)
        {
            throw new QemuException(QemuProblem.Protocol, $"qtest b64read answered '{Clip(reply)}', not base64", error);
        }

        if (bytes.Length != destination.Length)
        {
            throw new QemuException(QemuProblem.Protocol, $"qtest b64read returned {bytes.Length} bytes for {destination.Length}");
        }

        bytes.CopyTo(destination);
    }

    public void Fill(ulong address, int length, byte value) =>
        Command(Invariant($"memset 0x{address:x} 0x{length:x} 0x{value:x2}"));

    /// <summary>A big-endian (target-endian) 32-bit word.</summary>
    public uint ReadU32(ulong address)
    {
        Span<byte> word = stackalloc byte[4];
        Read(address, word);
        return BinaryPrimitives.ReadUInt32BigEndian(word);
    }

    /// <summary>
    /// <c>rtas NAME NARGS ARGS NRET RETS</c>: QEMU's own status for the dispatch (0 when the
    /// service ran; <see cref="UnknownService"/> when it has none of that name). The service's
    /// results are in guest memory at <paramref name="rets"/>.
    /// </summary>
    public ulong Rtas(string service, int argumentCount, ulong arguments, int resultCount, ulong results)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        if (service.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"an RTAS service name has no spaces: '{service}'", nameof(service));
        }

        string reply = Command(Invariant($"rtas {service} {argumentCount} 0x{arguments:x} {resultCount} 0x{results:x}"));
        return ulong.TryParse(reply, NumberStyles.None, CultureInfo.InvariantCulture, out ulong status)
            ? status
            : throw new QemuException(QemuProblem.Protocol, $"qtest rtas answered '{Clip(reply)}'");
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>Sends one command; returns what follows <c>OK</c>.</summary>
    private string Command(string command)
    {
        Commands++;
        _channel.WriteLine(command);
        while (true)
        {
            string line = _channel.ReadLine();
            if (line.StartsWith("IRQ ", StringComparison.Ordinal))
            {
                continue; // asynchronous, only after irq_intercept_*; not ours to answer
            }

            if (line == "OK")
            {
                return string.Empty;
            }

            if (line.StartsWith("OK ", StringComparison.Ordinal))
            {
                return line[3..];
            }

            string verb = command.Split(' ', 2)[0];
            throw new QemuException(QemuProblem.Protocol, $"qtest {verb} failed: {Clip(line)}");
        }
    }

    private static string Clip(string text) => text.Length <= 120 ? text : text[..120] + "…";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
