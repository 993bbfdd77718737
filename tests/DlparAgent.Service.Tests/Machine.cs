using DlparAgent.Emulation;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Persistence;

namespace DlparAgent.Service.Tests;

/// <summary>An emulated machine in a temporary state directory, changed in process as another command would.</summary>
internal sealed class Machine : IDisposable
{
    public Machine(MachineProfile? profile = null, string kernelDlpar = "memory,cpu,dt")
    {
        Directory.CreateDirectory(StateDirectory);
        Change(_ => { }, EmulatedPartition.Create(profile ?? new MachineProfile { BootPhbs = 1 }, KernelFeatures.FromList(kernelDlpar)));
    }

    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), "dlpard-" + Guid.NewGuid().ToString("N"));

    /// <summary>Loads, changes and saves the machine under its lock.</summary>
    public void Change(Action<EmulatedPartition> change, EmulatedPartition? created = null)
    {
        using MachineStore store = MachineStore.Open(StateDirectory, TimeSpan.FromMinutes(1));
        EmulatedPartition partition = created ?? EmulatedPartition.Load(store.Load());
        change(partition);
        store.Save(partition.Persist());
    }

    public T Read<T>(Func<EmulatedPartition, T> read)
    {
        using MachineStore store = MachineStore.Open(StateDirectory, TimeSpan.FromMinutes(1));
        return read(EmulatedPartition.Load(store.Load()));
    }

    public void Dispose()
    {
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }
}
