namespace DlparAgent.Core.Engine;

/// <summary>How an operation reached the OS: which interface did the work.</summary>
public enum DlparMechanism
{
    /// <summary>One write to <c>/sys/kernel/dlpar</c> per request or connector; the kernel ran the firmware calls.</summary>
    Kernel,

    /// <summary>The agent ran the firmware calls; the kernel's <c>dt</c> interface attached the nodes.</summary>
    KernelDeviceTree,

    /// <summary>The old <c>/sys/devices/system/cpu/probe</c> and <c>release</c> files.</summary>
    ProbeFiles,

    /// <summary>Everything in the agent: firmware calls, ofdt writes, onlining.</summary>
    Userspace,
}

/// <summary>The words the result reports print for a mechanism (unchanged from the untyped path).</summary>
public static class DlparMechanisms
{
    public static string Word(this DlparMechanism mechanism) => mechanism switch
    {
        DlparMechanism.Kernel => "kernel",
        DlparMechanism.KernelDeviceTree => "kernel dt",
        DlparMechanism.ProbeFiles => "probe",
        _ => "userspace",
    };
}
