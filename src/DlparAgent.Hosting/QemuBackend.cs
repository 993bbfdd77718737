using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;
using DlparAgent.Emulation.Kernel;
using DlparAgent.Emulation.Persistence;
using DlparAgent.Qemu;

namespace DlparAgent.Hosting;

/// <summary>
/// A partition whose firmware is a running QEMU pseries machine (RTAS over qtest) and whose OS side
/// is the emulated kernel, booted from QEMU's own device tree and kept in the state directory's
/// <c>qemu/</c> folder between commands. The folder's lock serialises commands, as the emulated
/// machine's does.
/// </summary>
public sealed class QemuBackend : IBackend
{
    public const string Folder = "qemu";
    public const string KernelFile = "kernel.state";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    private readonly MachineStore _store;
    private readonly QemuMachine _machine;
    private readonly EmulatedKernel _kernel;

    private QemuBackend(MachineStore store, QemuMachine machine, EmulatedKernel kernel)
    {
        _store = store;
        _machine = machine;
        _kernel = kernel;
    }

    public IRtas Rtas => _machine.Rtas;

    public IGuestKernel Kernel => _kernel;

    public QemuMachine Machine => _machine;

    public bool CanDryRun => false;

    public static string DirectoryOf(string stateDirectory) => Path.Combine(stateDirectory, Folder);

    public static QemuBackend Open(string stateDirectory)
    {
        MachineStore store = MachineStore.Open(DirectoryOf(stateDirectory), LockTimeout);
        QemuMachine? machine = null;
        try
        {
            byte[] kernel = store.ReadSideFile(KernelFile)
                ?? throw new QemuException(QemuProblem.NotRunning,
                    $"no QEMU machine runs for {stateDirectory} (start one with: dlpar --state-dir {stateDirectory} platform qemu start)");
            machine = QemuMachine.Attach(store.Directory);
            return new QemuBackend(store, machine, new EmulatedKernel(KernelStateCodec.Decode(kernel), machine.Rtas));
        }
        catch
        {
            machine?.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>The guest takes what QEMU queued since the last command, as a running Linux would have.</summary>
    public bool CatchUp() => _kernel.TakeInterrupts(int.MaxValue) > 0;

    public void Save() => _store.WriteSideFile(KernelFile, KernelStateCodec.Encode(_kernel.State));

    public void Dispose()
    {
        _machine.Dispose();
        _store.Dispose();
    }
}
