using DlparAgent.Core.Kernel;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Hosting;

/// <summary>What a command works on: the firmware and the kernel of one partition, real, emulated or on QEMU.</summary>
public interface IBackend : IDisposable
{
    IRtas Rtas { get; }

    IGuestKernel Kernel { get; }

    /// <summary>Whether a dry run can be made: it needs a copy of the platform that answers without changing anything.</summary>
    bool CanDryRun { get; }

    /// <summary>
    /// Before a command looks or acts: the emulated guest takes its pending interrupts, as a
    /// running Linux would have; a real kernel already has. True when the guest took any.
    /// </summary>
    bool CatchUp();

    /// <summary>Before a command that only looks: catches up and keeps what the guest did, so that no later command meets it again.</summary>
    void CatchUpToLook()
    {
        if (CatchUp())
        {
            Save();
        }
    }

    /// <summary>After an operation: the emulated machine is saved; a real partition has nothing to save.</summary>
    void Save();
}
