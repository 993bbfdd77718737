using DlparAgent.Qemu;

namespace DlparAgent.Cli.Tests;

/// <summary>Runs where qemu-system-ppc64 is installed (or must, with DLPAR_REQUIRE_QEMU=1); skips elsewhere with the reason.</summary>
public sealed class QemuCliFactAttribute : FactAttribute
{
    public QemuCliFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DLPAR_REQUIRE_QEMU") != "1" && QemuBinary.Find(Environment.GetEnvironmentVariable) is null)
        {
            Skip = "QEMU tests skipped: qemu-system-ppc64 not found (apt-get install --no-install-recommends qemu-system-ppc)";
        }
    }
}
