using System.Globalization;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Core.Engine;

/// <summary>What a QoS credit change did: the total before and after (read back), and the credits open windows hold.</summary>
public sealed record AcceleratorCreditResult(string Type, int Before, int After, int Used);

/// <summary>
/// drmgr <c>-c acc -t gzip -q N</c>: the HMC has given the partition N QoS credits for an NX
/// accelerator type; the kernel is told with one write to <c>update_total_credits</c> and the total
/// is read back from <c>nr_total_credits</c>. Only gzip exists (upstream's check of the type is
/// inverted and refuses gzip; this one accepts it and refuses the rest).
/// </summary>
public static class AcceleratorCreditUpdate
{
    public static IReadOnlyList<string> Types { get; } = ["gzip"];

    /// <exception cref="AcceleratorException">An unknown type, a count out of range, no accelerator, or the kernel's refusal.</exception>
    public static AcceleratorCreditResult Apply(IGuestKernel kernel, string type, long credits)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(type);
        if (!Types.Contains(type))
        {
            throw new AcceleratorException(AcceleratorProblem.Invalid, $"Invalid Accelerator type: {type} (the types are {string.Join(", ", Types)})");
        }

        if (credits is < 0 or > ushort.MaxValue)
        {
            throw new AcceleratorException(AcceleratorProblem.Invalid,
                string.Create(CultureInfo.InvariantCulture, $"Invalid QoS credit count {credits} (0 to {ushort.MaxValue})"));
        }

        AcceleratorCredits before = kernel.ReadAcceleratorCredits(type) ?? throw new AcceleratorException(AcceleratorProblem.Unsupported,
            $"Could not open \"{KernelWrites.AcceleratorFile(type, "update_total_credits")}\" to write QoS credits: the partition has no {type} accelerator");
        try
        {
            kernel.WriteAcceleratorCredits(type, (int)credits);
        }
        catch (KernelException refused)
        {
            throw new AcceleratorException(AcceleratorProblem.Refused, $"Could not write QoS credits: {refused.Message}", refused);
        }

        AcceleratorCredits after = kernel.ReadAcceleratorCredits(type) ?? new AcceleratorCredits((int)credits, 0);
        return new AcceleratorCreditResult(type, before.Total, after.Total, after.Used);
    }
}
