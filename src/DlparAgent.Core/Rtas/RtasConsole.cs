using System.Buffers.Binary;
using System.Globalization;
using DlparAgent.Core.Formats;
using DlparAgent.Core.Formats.ConfigureConnector;
using DlparAgent.Core.Formats.Events;

namespace DlparAgent.Core.Rtas;

/// <summary>
/// A line protocol over <see cref="IRtas"/>: one call per line in, one line out, so scripts can
/// drive firmware directly. Numbers are decimal (negative allowed) or 0x-hex; statuses print as
/// signed decimal. configure-connector keeps one work area per connector between lines.
/// </summary>
public sealed class RtasConsole(IRtas rtas)
{
    private const int EventBufferSize = 2048;

    private readonly Dictionary<uint, byte[]> _workAreas = [];

    /// <summary>Runs one line; the answer, or <c>error: reason</c>. Blank lines and <c>#</c> comments answer null.</summary>
    public string? Execute(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        int comment = line.IndexOf('#');
        string[] words = (comment >= 0 ? line[..comment] : line).Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return null;
        }

        try
        {
            return words[0] switch
            {
                RtasServices.GetSensorState => Format(rtas.GetSensorState(Arg(words, 1, 2), Arg(words, 2, 2))),
                RtasServices.SetIndicator => Status(rtas.SetIndicator(Arg(words, 1, 3), Arg(words, 2, 3), Arg(words, 3, 3))),
                RtasServices.GetPowerLevel => Format(rtas.GetPowerLevel(Arg(words, 1, 1))),
                RtasServices.SetPowerLevel => Format(rtas.SetPowerLevel(Arg(words, 1, 2), Arg(words, 2, 2))),
                RtasServices.ConfigureConnector => ConfigureConnector(Arg(words, 1, 1)),
                RtasServices.CheckException => Event(true, Arg(words, 1, 1)),
                RtasServices.EventScan => Event(false, Arg(words, 1, 1)),
                _ => throw new FormatException($"unknown call '{words[0]}'"),
            };
        }
        catch (FormatException error)
        {
            return $"error: {error.Message}";
        }
        catch (DlparFormatException error)
        {
            return $"error: {error.Message}";
        }
    }

    private string ConfigureConnector(uint index)
    {
        if (!_workAreas.TryGetValue(index, out byte[]? workArea))
        {
            workArea = new byte[ConfigureConnectorWorkArea.Size];
            ConfigureConnectorWorkArea.Initialize(workArea, index);
            _workAreas[index] = workArea;
        }

        RtasStatus status = rtas.ConfigureConnector(workArea, []);
        switch (status.Value)
        {
            case ConfigureConnectorStatus.NextChild:
            case ConfigureConnectorStatus.NextSibling:
            case ConfigureConnectorStatus.NextProperty:
                ConfigureConnectorStep step = ConfigureConnectorWorkArea.ReadStep(workArea, status.Value);
                return step.Status == ConfigureConnectorStatus.NextProperty
                    ? $"{status} {step.Name} {Convert.ToHexStringLower(step.Value.Span)}".TrimEnd()
                    : $"{status} {step.Name}";
            case ConfigureConnectorStatus.PreviousParent:
            case ConfigureConnectorStatus.NeedMoreMemory:
            case -2:
                return status.ToString();
            default:
                if (!status.IsExtendedDelay)
                {
                    _workAreas.Remove(index);
                }

                return status.ToString();
        }
    }

    private string Event(bool check, uint mask)
    {
        byte[] buffer = new byte[EventBufferSize];
        RtasStatus status = check ? rtas.CheckException(0x500, 0, mask, buffer) : rtas.EventScan(mask, buffer);
        if (!status.IsSuccess)
        {
            return status.ToString();
        }

        int length = EventBufferSize;
        uint extended = BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4));
        if ((buffer[1] & 0x04) == 0)
        {
            length = RtasEventLog.FixedPartSize;
        }
        else if (extended <= EventBufferSize - RtasEventLog.FixedPartSize)
        {
            length = RtasEventLog.FixedPartSize + (int)extended;
        }

        return $"{status} {Convert.ToHexStringLower(buffer.AsSpan(0, length))}";
    }

    private static string Format(RtasResult result) => $"{result.Status} {result.Value.ToString(CultureInfo.InvariantCulture)}";

    private static string Status(RtasStatus status) => status.ToString();

    private static uint Arg(string[] words, int position, int expected)
    {
        if (words.Length != expected + 1)
        {
            throw new FormatException($"{words[0]} takes {expected} argument{(expected == 1 ? string.Empty : "s")}, {words.Length - 1} given");
        }

        string word = words[position];
        if (word.StartsWith('-') && int.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int negative))
        {
            return unchecked((uint)negative);
        }

        if (word.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(word.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint hex)
            : uint.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out hex))
        {
            return hex;
        }

        throw new FormatException($"'{word}' is not a number (decimal or 0x-hex)");
    }
}
