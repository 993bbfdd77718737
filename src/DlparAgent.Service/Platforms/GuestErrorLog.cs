using DlparAgent.Emulation.Kernel;

namespace DlparAgent.Service.Platforms;

/// <summary>
/// The emulated guest's error log read as rtasd's reader sees it: each logged record is consumed
/// before the next pending interrupt is taken, so a burst never overruns the 64-record ring.
/// <see cref="Changed"/> says whether the guest changed since the last <see cref="MarkSaved"/>.
/// </summary>
internal sealed class GuestErrorLog(EmulatedKernel kernel)
{
    public bool Changed { get; private set; }

    public IEnumerable<byte[]> Records()
    {
        while (true)
        {
            if (kernel.ReadErrorLog() is { } slot)
            {
                Changed = true;
                yield return slot;
                continue;
            }

            if (kernel.TakeInterrupts(1) == 0)
            {
                yield break;
            }

            Changed = true;
        }
    }

    public void MarkSaved() => Changed = false;
}
