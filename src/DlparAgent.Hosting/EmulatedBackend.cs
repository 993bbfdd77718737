using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Hosting;

/// <summary>The emulated partition of a state directory as a backend.</summary>
public sealed class EmulatedBackend(MachineLease lease) : IBackend
{
    public MachineLease Lease { get; } = lease;

    public IRtas Rtas => Lease.Platform;

    public IGuestKernel Kernel => Lease.Partition.Kernel;

    public bool CanDryRun => true;

    public bool CatchUp() => Lease.Partition.Kernel.TakeInterrupts(int.MaxValue) > 0;

    public void Save() => Lease.Save();

    public void Dispose() => Lease.Dispose();
}
