using DlparAgent.Cli.Infrastructure;
using DlparAgent.Emulation;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Cli.Platform;

/// <summary>One command's hold on the emulated machine: lock, load, work, save (only when asked).</summary>
internal sealed class PlatformSession : IDisposable
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private readonly MachineStore _store;

    private PlatformSession(MachineStore store, EmulatedPartition partition)
    {
        _store = store;
        Partition = partition;
    }

    public EmulatedPartition Partition { get; }

    public EmulatedPlatform Platform => Partition.Platform;

    /// <summary>The operation journal of the agent working on this machine.</summary>
    public string JournalPath => Path.Combine(_store.Directory, "journal");

    public string Directory => _store.Directory;

    public static PlatformSession Open(string directory)
    {
        MachineStore store = MachineStore.Open(directory, LockTimeout);
        try
        {
            return new PlatformSession(store, EmulatedPartition.Load(store.Load()));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Creates a machine, replacing an existing one only when <paramref name="replace"/>.</summary>
    public static PlatformSession Create(string directory, Emulation.Machine.MachineProfile profile, Emulation.Kernel.KernelFeatures kernel, bool replace)
    {
        MachineStore store = MachineStore.Open(directory, LockTimeout);
        try
        {
            if (store.Exists && !replace)
            {
                throw new CliException(ExitCodes.Refused, $"{directory} already holds an emulated machine; use --force to replace it, or 'dlpar platform reset'");
            }

            File.Delete(Path.Combine(directory, "journal"));
            return new PlatformSession(store, EmulatedPartition.Create(profile, kernel));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public void Save() => _store.Save(Partition.Persist());

    public void Dispose() => _store.Dispose();

    /// <summary>The exit code for a state problem.</summary>
    public static int ExitCodeOf(StateFileException error) => error.Problem switch
    {
        StateProblem.Missing => ExitCodes.NoInput,
        StateProblem.Unreadable => ExitCodes.DataError,
        StateProblem.Locked => ExitCodes.TemporaryFailure,
        _ => ExitCodes.IoError,
    };
}
