using DlparAgent.Core.Kernel;

namespace DlparAgent.Cli.Agent;

/// <summary>One DLPAR capability: drmgr's <c>-C</c> key, drmgr's label for its check, and whether this partition has it.</summary>
/// <param name="Validated">
/// Whether drmgr checks it with a "Validating … capability" line (the entitlement and SLB keys are
/// read from lparcfg: present or not).
/// </param>
/// <param name="Detail">drmgr's diagnostic line under a failed check, where it is known (migration's missing property).</param>
internal sealed record DlparCapability(string Key, string Label, bool Supported, bool Validated = true, string? Detail = null);

/// <summary>The capabilities <c>drmgr -C</c> and <c>dlpar capabilities</c> report, in drmgr's order.</summary>
internal static class DlparCapabilities
{
    public static IReadOnlyList<DlparCapability> Of(IGuestKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);

        // Three keys come from lparcfg: it is read once for all of them.
        var lparcfg = new Lazy<IReadOnlyDictionary<string, string>?>(kernel.ReadLparcfg);
        string[] keys = ["cpu_dlpar", "mem_dlpar", "slot_dlpar", "phb_dlpar", "hea_dlpar", "pmig", "cpu_entitlement", "mem_entitlement", "slb_resize",
            "phib"];
        return [.. keys.Select(key => Of(kernel, key, lparcfg))];
    }

    /// <summary>One capability, checked alone (drmgr checks its type's before each operation).</summary>
    public static DlparCapability Of(IGuestKernel kernel, string key) =>
        Of(kernel, key, new Lazy<IReadOnlyDictionary<string, string>?>(kernel.ReadLparcfg));

    private static DlparCapability Of(IGuestKernel kernel, string key, Lazy<IReadOnlyDictionary<string, string>?> lparcfg)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return key switch
        {
            "cpu_dlpar" => new(key, "CPU DLPAR", kernel.ReadCpuThreads().Count > 0),
            "mem_dlpar" => new(key, "Memory DLPAR", kernel.ReadMemoryBlockSize() > 0),
            "slot_dlpar" => new(key, "I/O DLPAR", true),
            "phb_dlpar" => new(key, "PHB DLPAR", true),
            "hea_dlpar" => new(key, "HEA DLPAR", false),
            "pmig" => Migration(kernel),
            "cpu_entitlement" => new(key, "CPU entitlement", HasKey(lparcfg, "partition_entitled_capacity"), Validated: false),
            "mem_entitlement" => new(key, "memory entitlement", HasKey(lparcfg, "entitled_memory"), Validated: false),
            "slb_resize" => new(key, "SLB resize", HasKey(lparcfg, "slb_size"), Validated: false),
            "phib" => new(key, "partition hibernation", kernel.HasHibernation()),
            _ => throw new ArgumentOutOfRangeException(nameof(key), key, "no such capability"),
        };
    }

    /// <summary>drmgr's check (the partition is migratable) and the kernel's migration interface, with drmgr's line for a missing property.</summary>
    private static DlparCapability Migration(IGuestKernel kernel) =>
        kernel.ReadDeviceTree().HasProperty("ibm,migratable-partition")
            ? new("pmig", "partition migration", kernel.ReadMigrationApiVersion() is not null)
            : new("pmig", "partition migration", false, Detail: "    stat(\"/proc/device-tree/ibm,migratable-partition\"): No such file or directory");

    /// <summary>As drmgr checks them: by the keys lparcfg actually has (a kernel without lparcfg has none).</summary>
    private static bool HasKey(Lazy<IReadOnlyDictionary<string, string>?> lparcfg, string key) => lparcfg.Value?.ContainsKey(key) == true;
}
