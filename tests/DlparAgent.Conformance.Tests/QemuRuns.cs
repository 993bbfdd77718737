using DlparAgent.Qemu;

namespace DlparAgent.Conformance.Tests;

/// <summary>
/// QEMU 7.2 under TCG sometimes dies on its own once a CPU core has been removed (qemu-reference.md
/// §7.1: the removed vCPU's listeners outlive it). A run on which QEMU died is run again on a fresh
/// QEMU, up to three runs in all (two deaths in a row were seen in CI); a third death fails the test
/// with QEMU's own message. Any other failure fails at once.
/// </summary>
internal static class QemuRuns
{
    private const int Attempts = 3;

    public static T Retrying<T>(Func<T> run)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return run();
            }
            catch (QemuException error) when (error.Problem == QemuProblem.Died && attempt < Attempts)
            {
                Console.Error.WriteLine($"conformance: QEMU died during run {attempt} ({error.Message}); running it again on a fresh QEMU");
            }
        }
    }
}
