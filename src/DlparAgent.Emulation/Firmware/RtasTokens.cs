using DlparAgent.Core.Rtas;

namespace DlparAgent.Emulation.Firmware;

/// <summary>The RTAS services the emulated platform publishes under <c>/rtas</c>, with QEMU's tokens (0x2000 + n).</summary>
internal static class RtasTokens
{
    public static readonly IReadOnlyList<(string Name, uint Token)> All =
    [
        (RtasServices.QueryCpuStoppedState, 0x2005),
        (RtasServices.StartCpu, 0x2006),
        (RtasServices.StopSelf, 0x2007),
        (RtasServices.CheckException, 0x200E),
        (RtasServices.EventScan, 0x200F),
        (RtasServices.SetIndicator, 0x201A),
        (RtasServices.SetPowerLevel, 0x201B),
        (RtasServices.GetPowerLevel, 0x201C),
        (RtasServices.GetSensorState, 0x201D),
        (RtasServices.ConfigureConnector, 0x201E),
    ];

    private static readonly Dictionary<uint, string> ByToken = All.ToDictionary(t => t.Token, t => t.Name);
    private static readonly Dictionary<string, uint> ByName = All.ToDictionary(t => t.Name, t => t.Token, StringComparer.Ordinal);

    public static string? NameOf(uint token) => ByToken.GetValueOrDefault(token);

    public static uint? TokenOf(string name) => ByName.TryGetValue(name, out uint token) ? token : null;
}
