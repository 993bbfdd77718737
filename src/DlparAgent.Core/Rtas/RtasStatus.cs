using System.Globalization;

namespace DlparAgent.Core.Rtas;

/// <summary>
/// A status an RTAS service returned, kept typed until a front-end turns it into text or an exit
/// code. Negative values are errors; 990x asks the caller to wait 10^x ms and call again.
/// </summary>
public readonly record struct RtasStatus(int Value)
{
    public static readonly RtasStatus Success = new(0);
    public static readonly RtasStatus NoErrorsFound = new(1);
    public static readonly RtasStatus HardwareError = new(-1);
    public static readonly RtasStatus Busy = new(-2);
    public static readonly RtasStatus ParameterError = new(-3);
    public static readonly RtasStatus MultiLevelIsolationError = new(-9000);
    public static readonly RtasStatus ValidOutstandingTranslations = new(-9001);
    public static readonly RtasStatus NotAuthorized = new(-9002);
    public static readonly RtasStatus ConnectorUnusable = new(-9003);

    public bool IsSuccess => Value == 0;

    public bool IsError => Value < 0;

    /// <summary>-2 (call again) or 9900..9905 (wait, then call again).</summary>
    public bool IsRetry => Value == -2 || IsExtendedDelay;

    public bool IsExtendedDelay => Value is >= 9900 and <= 9905;

    /// <summary>How long PAPR asks the caller to wait before the next call: 10^(status-9900) ms, 0 for busy.</summary>
    public TimeSpan RetryDelay => IsExtendedDelay ? TimeSpan.FromMilliseconds(Math.Pow(10, Value - 9900)) : TimeSpan.Zero;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    public string Describe() => Value switch
    {
        0 => "success",
        1 => "no errors found",
        -1 => "hardware error",
        -2 => "busy",
        -3 => "parameter error",
        -9000 => "multi-level isolation error",
        -9001 => "valid outstanding translations",
        -9002 => "not authorized",
        -9003 => "connector unusable",
        >= 9900 and <= 9905 => string.Create(CultureInfo.InvariantCulture, $"extended delay {RetryDelay.TotalMilliseconds} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"status {Value}"),
    };
}
