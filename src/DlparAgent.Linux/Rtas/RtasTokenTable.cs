using DlparAgent.Linux.Interop;
using System.Buffers.Binary;

namespace DlparAgent.Linux.Rtas;

/// <summary>RTAS tokens from <c>/proc/device-tree/rtas/&lt;service&gt;</c> (4-byte big-endian values), read once each.</summary>
public sealed class RtasTokenTable(LinuxPaths paths, ILinuxNative native)
{
    private readonly Dictionary<string, uint?> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The service's token, or null when the firmware does not implement it.</summary>
    public uint? Find(string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        if (service.Contains('/', StringComparison.Ordinal) || service is "." or "..")
        {
            return null;
        }

        lock (_lock)
        {
            if (!_tokens.TryGetValue(service, out uint? token))
            {
                string file = Path.Join(paths.RtasNode, service);
                byte[]? value = native.FileExists(file) ? native.ReadFile(file) : null;
                token = value is { Length: 4 } ? BinaryPrimitives.ReadUInt32BigEndian(value) : null;
                _tokens[service] = token;
            }

            return token;
        }
    }

    public uint Require(string service) => Find(service)
        ?? throw new LinuxBackendException(LinuxProblem.NoToken, $"the firmware does not implement {service} (no {Path.Join(paths.RtasNode, service)})");
}
