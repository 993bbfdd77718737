namespace DlparAgent.Core.Rtas;

/// <summary>Dynamic-reconfiguration indicators, sensors and their values (LoPAR; powerpc-utils <c>rtas_calls.h</c>).</summary>
public static class DrIndicators
{
    /// <summary>Indicator: isolation state (0 isolate, 1 unisolate).</summary>
    public const uint IsolationState = 9001;

    /// <summary>Indicator: slot LED (0 inactive, 1 active, 2 identify, 3 action).</summary>
    public const uint DrIndicator = 9002;

    /// <summary>Indicator: allocation state (0 unusable, 1 usable, 2 exchange, 3 recover).</summary>
    public const uint AllocationState = 9003;

    /// <summary>Sensor: DR entity sense (shares the number 9003 with the allocation indicator).</summary>
    public const uint EntitySense = 9003;

    /// <summary>Sensor: EPOW.</summary>
    public const uint EpowSensor = 9;

    public const uint Isolate = 0;
    public const uint Unisolate = 1;
    public const uint Unusable = 0;
    public const uint Usable = 1;

    public const uint LedInactive = 0;
    public const uint LedActive = 1;
    public const uint LedIdentify = 2;
    public const uint LedAction = 3;

    /// <summary>Entity-sense values.</summary>
    public const uint SenseEmpty = 0;
    public const uint SensePresent = 1;
    public const uint SenseUnusable = 2;
    public const uint SenseExchange = 3;
    public const uint SenseRecovery = 4;

    public const uint PowerOff = 0;
    public const uint PowerOn = 100;

    /// <summary>check-exception / event-scan class masks.</summary>
    public const uint EpowClassMask = 0x40000000;
    public const uint HotplugClassMask = 0x10000000;
}
