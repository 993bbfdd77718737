namespace DlparAgent.Core.Formats.Events;

/// <summary>
/// The summary word of the fixed part of an RTAS event log (<c>struct rtas_error_log</c>, byte 0-3):
/// version, severity, disposition, extended-log flag, initiator, target and type.
/// </summary>
public readonly record struct RtasEventSummary(uint Raw)
{
    public byte Version => (byte)(Raw >> 24);

    public RtasEventSeverity Severity => (RtasEventSeverity)((Raw >> 21) & 0x7);

    public RtasEventDisposition Disposition => (RtasEventDisposition)((Raw >> 19) & 0x3);

    public bool ExtendedLogPresent => (Raw & 0x00040000) != 0;

    /// <summary>Bits 1-0 of byte 1, reserved.</summary>
    public byte ReservedBits => (byte)((Raw >> 16) & 0x3);

    public byte Initiator => (byte)((Raw >> 12) & 0xF);

    public byte Target => (byte)((Raw >> 8) & 0xF);

    public byte Type => (byte)Raw;

    public static RtasEventSummary Create(byte version, RtasEventSeverity severity, RtasEventDisposition disposition, bool extended, byte initiator,
        byte target, byte type)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((byte)severity, (byte)7);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((byte)disposition, (byte)3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initiator, (byte)0xF);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, (byte)0xF);
        uint raw = ((uint)version << 24)
            | ((uint)severity << 21)
            | ((uint)disposition << 19)
            | (extended ? 0x00040000u : 0)
            | ((uint)initiator << 12)
            | ((uint)target << 8)
            | type;
        return new RtasEventSummary(raw);
    }
}
