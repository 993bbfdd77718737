using DlparAgent.Core.Kernel;

namespace DlparAgent.Emulation.Kernel;

/// <summary>
/// The partition's NX gzip accelerator as pseries Linux shows it under <c>vas0/gzip</c>: default
/// credits the hypervisor grants, and QoS credits the HMC assigns and drmgr passes to the kernel
/// (any 16-bit total: the kernel takes it and closes the windows beyond it, reopening them when
/// credits return). Only gzip exists, as on Power10.
/// </summary>
public sealed class EmulatedVas(int defaultCredits, int qosCredits = 0, int openQosWindows = 0)
{
    public const string Gzip = "gzip";

    public int DefaultCredits { get; } = defaultCredits;

    public int QosCredits { get; private set; } = qosCredits;

    /// <summary>QoS windows user space has open; those beyond the credits are closed by the kernel until credits return.</summary>
    public int OpenQosWindows { get; set; } = openQosWindows;

    /// <summary>The default credits for a partition of <paramref name="cores"/> cores (the hypervisor grants 20 per core here).</summary>
    public static EmulatedVas ForCores(int cores) => new(20 * cores);

    public AcceleratorCredits ReadQos() => new(QosCredits, Math.Min(OpenQosWindows, QosCredits));

    /// <summary>update_total_credits: kstrtou16, so 0 to 65535; anything else is EINVAL.</summary>
    public void WriteQos(int credits)
    {
        if (credits is < 0 or > ushort.MaxValue)
        {
            throw new KernelException(Errno.EINVAL, $"{KernelWrites.AcceleratorFile(Gzip, "update_total_credits")}: {credits} is not a 16-bit count");
        }

        QosCredits = credits;
    }
}
