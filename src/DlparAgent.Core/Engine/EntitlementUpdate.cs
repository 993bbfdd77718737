using System.Globalization;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;

namespace DlparAgent.Core.Engine;

/// <summary>What an entitlement or weight change did: the value before, the one asked for, and the one the hypervisor set.</summary>
public sealed record EntitlementResult(string Key, ulong Before, ulong Asked, ulong After)
{
    /// <summary>The hypervisor set less (or more) than asked: <c>H_CONSTRAINED</c>, which the kernel reports as success.</summary>
    public bool Constrained => After != Asked;
}

/// <summary>
/// drmgr <c>-p ent_capacity|variable_weight</c> for CPUs and memory: the kernel's lparcfg takes only
/// absolute values, so the current one is read, changed by the quantity, written with one
/// <c>write()</c> (the kernel calls <c>H_SET_PPP</c> or <c>H_SET_MPP</c>), and read back, since a
/// constrained hypervisor clips the value and the kernel still reports success.
/// </summary>
public static class EntitlementUpdate
{
    /// <summary>Processing units are hundredths; a weight is 0–255 (the kernel keeps only its low byte, so more is refused here).</summary>
    private const ulong MaxWeight = 255;

    /// <summary>The lparcfg key drmgr's parameter names, for CPUs or memory; null when it names none.</summary>
    public static string? KeyOf(DlparResource resource, string parameter) => (resource, parameter) switch
    {
        (DlparResource.Cpu, "ent_capacity") => "partition_entitled_capacity",
        (DlparResource.Cpu, "variable_weight") => "capacity_weight",
        (DlparResource.Memory, "ent_capacity") => "entitled_memory",
        (DlparResource.Memory, "variable_weight") => "entitled_memory_weight",
        _ => null,
    };

    /// <exception cref="EntitlementException">The capability is missing, the change is impossible, or the kernel refused it (with its errno).</exception>
    public static EntitlementResult Apply(IGuestKernel kernel, DlparResource resource, string parameter, DlparAction action, ulong quantity)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        string key = KeyOf(resource, parameter) ?? throw new EntitlementException(EntitlementProblem.Unsupported,
            $"The entitlement parameter \"{parameter}\" is not recognized for {(resource == DlparResource.Cpu ? "CPUs" : "memory")}");
        string what = resource == DlparResource.Cpu ? "CPU" : "Memory";
        IReadOnlyDictionary<string, string> lparcfg = kernel.ReadLparcfg() ?? throw new EntitlementException(EntitlementProblem.Unsupported,
            $"{what} entitlement capability is not enabled on this platform (the kernel has no lparcfg)");
        ulong before = Read(lparcfg, key) ?? throw new EntitlementException(EntitlementProblem.Unsupported,
            $"{what} entitlement capability is not enabled on this platform (lparcfg has no {key})");

        if (action == DlparAction.Remove && quantity > before)
        {
            throw new EntitlementException(EntitlementProblem.TooLarge, string.Create(CultureInfo.InvariantCulture,
                $"Cannot reduce {parameter} ({key}) by more than is currently available: current value {before}, asked to remove {quantity}"));
        }

        if (action == DlparAction.Add && quantity > ulong.MaxValue - before)
        {
            throw new EntitlementException(EntitlementProblem.TooLarge, string.Create(CultureInfo.InvariantCulture,
                $"{key} cannot grow by {quantity} from {before}: the value would not fit in 64 bits"));
        }

        ulong asked = action == DlparAction.Remove ? before - quantity : before + quantity;
        if (key.EndsWith("weight", StringComparison.Ordinal) && asked > MaxWeight)
        {
            throw new EntitlementException(EntitlementProblem.TooLarge, string.Create(CultureInfo.InvariantCulture,
                $"{key} cannot be {asked}: a weight is 0 to {MaxWeight}"));
        }

        try
        {
            kernel.WriteLparcfg(string.Create(CultureInfo.InvariantCulture, $"{key}={asked}\n"));
        }
        catch (KernelException refused)
        {
            throw new EntitlementException(EntitlementProblem.Refused, refused.Message, refused);
        }

        ulong after = kernel.ReadLparcfg() is { } again && Read(again, key) is { } set ? set : asked;
        return new EntitlementResult(key, before, asked, after);
    }

    private static ulong? Read(IReadOnlyDictionary<string, string> lparcfg, string key) =>
        lparcfg.TryGetValue(key, out string? text) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value : null;
}
