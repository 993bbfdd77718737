using DlparAgent.Cli.Infrastructure;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Cli.Platform;

/// <summary>The emulated partition of a state directory as a command's session.</summary>
internal sealed class EmulatedSession(PlatformSession session) : IPartitionSession
{
    public PlatformSession Session { get; } = session;

    public IRtas Rtas => Session.Platform;

    public IGuestKernel Kernel => Session.Partition.Kernel;

    public string JournalPath => Session.JournalPath;

    public bool CanDryRun => true;

    public void Prepare() => Session.Partition.Kernel.TakeInterrupts();

    public void Save() => Session.Save();

    public void Dispose() => Session.Dispose();
}
