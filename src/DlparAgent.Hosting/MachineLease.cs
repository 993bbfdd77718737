using DlparAgent.Core.Failures;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Hosting;

/// <summary>One command's hold on the emulated machine of a state directory: lock, load, work, save (only when asked).</summary>
public sealed class MachineLease : IDisposable
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private readonly MachineStore _store;

    private MachineLease(MachineStore store, EmulatedPartition partition)
    {
        _store = store;
        Partition = partition;
    }

    public EmulatedPartition Partition { get; }

    public EmulatedPlatform Platform => Partition.Platform;

    public string Directory => _store.Directory;

    public static MachineLease Open(string directory)
    {
        MachineStore store = MachineStore.Open(directory, LockTimeout);
        try
        {
            return new MachineLease(store, EmulatedPartition.Load(store.Load()));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Creates a machine, replacing an existing one (and its journal) only when <paramref name="replace"/>.</summary>
    public static MachineLease Create(string directory, MachineProfile profile, KernelFeatures kernel, bool replace) =>
        Create(directory, profile, kernel, EmulatedLparcfg.ForProfile(profile), replace);

    /// <param name="lparcfg">The partition's entitlement (what lparcfg shows), or null for none.</param>
    public static MachineLease Create(string directory, MachineProfile profile, KernelFeatures kernel, EmulatedLparcfg? lparcfg, bool replace)
    {
        MachineStore store = MachineStore.Open(directory, LockTimeout);
        try
        {
            if (store.Exists && !replace)
            {
                throw new HostingException(FailureCategory.Refused,
                    $"{directory} already holds an emulated machine; use --force to replace it, or 'dlpar platform reset'");
            }

            File.Delete(Path.Combine(directory, "journal"));
            return new MachineLease(store, EmulatedPartition.Create(profile, kernel, lparcfg));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public void Save() => _store.Save(Partition.Persist());

    public void Dispose() => _store.Dispose();
}
