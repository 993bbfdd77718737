using System.Globalization;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Emulation.Machine;

/// <summary>How an injected fault answers.</summary>
public enum FaultKind
{
    /// <summary>The call fails with <see cref="FaultRule.Status"/>.</summary>
    Status,

    /// <summary><see cref="FaultRule.StormLength"/> answers of -2 (busy), then the real call.</summary>
    Busy,

    /// <summary><see cref="FaultRule.StormLength"/> answers of an extended delay (990x), then the real call.</summary>
    Delay,
}

/// <summary>
/// "After <see cref="After"/> matching calls of <see cref="Service"/> (optionally for one DRC or
/// indicator), the next <see cref="Times"/> calls fail" — with a status, or with a storm of busy
/// or extended-delay answers before the real call goes through.
/// </summary>
public sealed class FaultRule
{
    public required string Service { get; init; }

    public uint? Drc { get; init; }

    /// <summary>For set-indicator and get-sensor-state: the indicator or sensor type.</summary>
    public uint? Indicator { get; init; }

    public int After { get; init; }

    public int Times { get; init; } = 1;

    public FaultKind Kind { get; init; }

    /// <summary>The status for <see cref="FaultKind.Status"/>, or the 990x value for <see cref="FaultKind.Delay"/>.</summary>
    public int Status { get; init; }

    public int StormLength { get; init; }

    /// <summary>Matching calls seen so far.</summary>
    public int Matched { get; set; }

    /// <summary>Faults delivered so far (a storm counts once, when the real call goes through).</summary>
    public int Fired { get; set; }

    public int StormProgress { get; set; }

    public bool Exhausted => Fired >= Times;

    /// <summary>Decides the fate of one call: an injected status, or null to run the call for real.</summary>
    public RtasStatus? Evaluate(string service, uint? drc, uint? indicator)
    {
        if (service != Service || (Drc is { } d && d != drc) || (Indicator is { } i && i != indicator))
        {
            return null;
        }

        Matched++;
        if (Matched <= After || Exhausted)
        {
            return null;
        }

        if (Kind == FaultKind.Status)
        {
            Fired++;
            return new RtasStatus(Status);
        }

        if (StormProgress < StormLength)
        {
            StormProgress++;
            return Kind == FaultKind.Busy ? RtasStatus.Busy : new RtasStatus(Status);
        }

        StormProgress = 0;
        Fired++;
        return null;
    }

    public string Describe()
    {
        string target = (Drc is { } d ? string.Create(CultureInfo.InvariantCulture, $" drc 0x{d:x8}") : string.Empty)
            + (Indicator is { } i ? string.Create(CultureInfo.InvariantCulture, $" indicator {i}") : string.Empty);
        string answer = Kind switch
        {
            FaultKind.Status => string.Create(CultureInfo.InvariantCulture, $"status {Status}"),
            FaultKind.Busy => string.Create(CultureInfo.InvariantCulture, $"busy:{StormLength}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"delay:{Status}:{StormLength}"),
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Service}{target} after {After} times {Times}: {answer} (matched {Matched}, fired {Fired})");
    }
}
