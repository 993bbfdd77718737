using System.Text.Json;
using System.Text.Json.Nodes;

namespace DlparAgent.Qemu;

/// <summary>
/// The QEMU Machine Protocol: a greeting, <c>qmp_capabilities</c>, then one JSON command per
/// line answered by <c>return</c> or <c>error</c>, with events interleaved (kept in order).
/// </summary>
public sealed class QmpClient : IDisposable
{
    private readonly LineChannel _channel;
    private readonly List<QmpEvent> _events = [];

    internal QmpClient(LineChannel channel)
    {
        _channel = channel;
        JsonObject greeting = Next();
        if (greeting["QMP"] is not JsonObject)
        {
            throw new QemuException(QemuProblem.Protocol, "QEMU's monitor did not greet with QMP");
        }

        Version = greeting["QMP"]?["version"]?["qemu"] is JsonObject v
            ? $"{(int?)v["major"]}.{(int?)v["minor"]}.{(int?)v["micro"]}"
            : "unknown";
        Execute("qmp_capabilities");
    }

    /// <summary>QEMU's version from the greeting, e.g. <c>7.2.22</c>.</summary>
    public string Version { get; }

    /// <summary>Events received and not yet taken.</summary>
    public IReadOnlyList<QmpEvent> PendingEvents => _events;

    /// <summary>Runs a command; its <c>return</c> value, or a <see cref="QemuProblem.Refused"/> error with QEMU's description.</summary>
    public JsonNode? Execute(string command, JsonObject? arguments = null)
    {
        var message = new JsonObject { ["execute"] = command };
        if (arguments is not null)
        {
            message["arguments"] = arguments;
        }

        _channel.WriteLine(message.ToJsonString());
        while (true)
        {
            JsonObject reply = Next();
            if (reply.ContainsKey("return"))
            {
                return reply["return"];
            }

            if (reply["error"] is JsonObject error)
            {
                throw new QemuException(QemuProblem.Refused, $"QEMU refused {command}: {(string?)error["desc"] ?? "no description"}")
                {
                    ErrorClass = (string?)error["class"],
                };
            }

            throw new QemuException(QemuProblem.Protocol, $"QMP answered {command} with neither return nor error");
        }
    }

    /// <summary>Takes every event received so far, reading what QEMU has already sent.</summary>
    public IReadOnlyList<QmpEvent> TakeEvents()
    {
        while (_channel.HasPending)
        {
            Next(TimeSpan.FromSeconds(5));
        }

        QmpEvent[] taken = [.. _events];
        _events.Clear();
        return taken;
    }

    /// <summary>Waits for (and takes) the first event that matches; the others stay pending.</summary>
    public QmpEvent WaitFor(Func<QmpEvent, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            int found = _events.FindIndex(e => match(e));
            if (found >= 0)
            {
                QmpEvent taken = _events[found];
                _events.RemoveAt(found);
                return taken;
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new QemuException(QemuProblem.Timeout, $"the awaited QMP event did not come within {timeout.TotalSeconds:0.#} s");
            }

            Next(left);
        }
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>The next message that is not an event (events are queued).</summary>
    private JsonObject Next(TimeSpan? wait = null)
    {
        while (true)
        {
            string line = _channel.ReadLine(wait);
            JsonObject message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject
                    ?? throw new QemuException(QemuProblem.Protocol, $"QMP sent a line that is not a JSON object: {line}");
            }
            catch (JsonException error)
            {
                throw new QemuException(QemuProblem.Protocol, $"QMP sent malformed JSON: {error.Message}", error);
            }

            if (message["event"] is JsonValue name && name.GetValueKind() == JsonValueKind.String)
            {
                _events.Add(new QmpEvent((string)name!, message["data"] as JsonObject));
                if (wait is not null)
                {
                    return message;
                }

                continue;
            }

            return message;
        }
    }
}
