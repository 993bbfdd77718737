namespace DlparAgent.Core.Rtas;

/// <summary>RTAS service names, as published under <c>/rtas</c>; tokens are always looked up by these.</summary>
public static class RtasServices
{
    public const string SetIndicator = "set-indicator";
    public const string GetSensorState = "get-sensor-state";
    public const string ConfigureConnector = "ibm,configure-connector";
    public const string CheckException = "check-exception";
    public const string EventScan = "event-scan";
    public const string SetPowerLevel = "set-power-level";
    public const string GetPowerLevel = "get-power-level";
    public const string StartCpu = "start-cpu";
    public const string StopSelf = "stop-self";
    public const string QueryCpuStoppedState = "query-cpu-stopped-state";
}
