using DlparAgent.Qemu;

namespace DlparAgent.Conformance.Tests;

/// <summary>
/// QEMU 7.2 under TCG sometimes dies on its own once a CPU core has been removed (qemu-reference.md
/// §7.1: the removed vCPU's listeners outlive it). A run on which QEMU died is run once more on a
/// fresh QEMU; a second death fails the test with QEMU's own message.
/// </summary>
internal static class QemuRuns
{
    public static T Retrying<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (QemuException error) when (error.Problem == QemuProblem.Died)
        {
            Console.Error.WriteLine($"conformance: QEMU died during a run ({error.Message}); running it again on a fresh QEMU");
            return run();
        }
    }
}
