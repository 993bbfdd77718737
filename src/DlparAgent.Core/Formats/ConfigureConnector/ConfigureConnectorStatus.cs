namespace DlparAgent.Core.Formats.ConfigureConnector;

/// <summary>Statuses of <c>ibm,configure-connector</c> (LoPAR; powerpc-utils <c>rtas_calls.h</c>).</summary>
public static class ConfigureConnectorStatus
{
    public const int Complete = 0;
    public const int NextSibling = 1;
    public const int NextChild = 2;
    public const int NextProperty = 3;
    public const int PreviousParent = 4;
    public const int NeedMoreMemory = 5;
    public const int HardwareError = -1;
    public const int Busy = -2;
    public const int ParameterError = -3;
    public const int NotSupportedOnSystem = -9001;
    public const int NotSupportedInConnector = -9002;
    public const int ConnectorUnusable = -9003;

    public static string Describe(int status) => status switch
    {
        Complete => "configuration complete",
        NextSibling => "next sibling",
        NextChild => "next child",
        NextProperty => "next property",
        PreviousParent => "previous parent",
        NeedMoreMemory => "need more memory",
        HardwareError => "hardware error",
        Busy => "busy, call again",
        ParameterError => "parameter error",
        NotSupportedOnSystem => "entity not supported on this system",
        NotSupportedInConnector => "entity not supported in this connector",
        ConnectorUnusable => "connector unusable",
        >= 9900 and <= 9905 => $"extended delay of {Math.Pow(10, status - 9900)} ms",
        _ => $"status {status}",
    };
}
