namespace DlparAgent.Qemu.Tests;

/// <summary>
/// A test against a real QEMU: skipped, with the reason, where qemu-system-ppc64 (or, for the CAS
/// client, the cross binutils) is missing — unless DLPAR_REQUIRE_QEMU=1 (CI), where it must run.
/// </summary>
public sealed class RealQemuFactAttribute : FactAttribute
{
    private bool _needsCasClient;

    public RealQemuFactAttribute() => Skip = Reason(needsCasClient: false);

    public bool NeedsCasClient
    {
        get => _needsCasClient;
        set
        {
            _needsCasClient = value;
            Skip = Reason(value);
        }
    }

    private static string? Reason(bool needsCasClient)
    {
        if (Environment.GetEnvironmentVariable("DLPAR_REQUIRE_QEMU") == "1")
        {
            return null;
        }

        if (QemuBinary.Find(Environment.GetEnvironmentVariable) is null)
        {
            return "QEMU tests skipped: qemu-system-ppc64 not found (apt-get install --no-install-recommends qemu-system-ppc)";
        }

        return needsCasClient && !CasClientImage.CanBuild() ? "CAS client tests skipped: binutils-powerpc64-linux-gnu not installed" : null;
    }
}
