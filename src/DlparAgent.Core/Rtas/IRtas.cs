namespace DlparAgent.Core.Rtas;

/// <summary>
/// The firmware's dynamic-reconfiguration services, as the engine calls them. Implementations:
/// the real Linux <c>rtas</c> syscall, the emulated PAPR platform, QEMU over qtest. Statuses come
/// back raw: retrying busy and extended-delay answers is the caller's job, as with librtas.
/// </summary>
public interface IRtas
{
    /// <summary>True when the platform implements the named service (it has a token for it).</summary>
    bool HasService(string name);

    RtasResult GetSensorState(uint sensor, uint index);

    RtasStatus SetIndicator(uint indicator, uint index, uint value);

    RtasResult GetPowerLevel(uint domain);

    RtasResult SetPowerLevel(uint domain, uint level);

    /// <summary>
    /// One <c>ibm,configure-connector</c> call on a 4096-byte work area. <paramref name="extension"/>
    /// is empty, or a second 4096-byte page after the platform answered 5 (need more memory).
    /// </summary>
    RtasStatus ConfigureConnector(Span<byte> workArea, Span<byte> extension);

    /// <summary><c>check-exception</c> with an event-class mask; a returned log is written to <paramref name="buffer"/>.</summary>
    RtasStatus CheckException(uint vector, uint extendedInfo, uint mask, Span<byte> buffer);

    /// <summary><c>event-scan</c> with an event-class mask; a returned log is written to <paramref name="buffer"/>.</summary>
    RtasStatus EventScan(uint mask, Span<byte> buffer);
}
