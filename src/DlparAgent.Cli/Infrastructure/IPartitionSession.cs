using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Cli.Infrastructure;

/// <summary>What a command works on: the firmware and the kernel of one partition, real or emulated, and where its journal lives.</summary>
internal interface IPartitionSession : IDisposable
{
    IRtas Rtas { get; }

    IGuestKernel Kernel { get; }

    string JournalPath { get; }

    /// <summary>Whether a dry run can be made: it needs a copy of the platform that answers without changing anything.</summary>
    bool CanDryRun { get; }

    /// <summary>Before an operation: the emulated guest takes its pending interrupts, as a running Linux would have.</summary>
    void Prepare();

    /// <summary>After an operation: the emulated machine is saved; a real partition has nothing to save.</summary>
    void Save();
}
