using System.Runtime.InteropServices;

namespace DlparAgent.Linux.Tests;

/// <summary>A test that needs a real ppc64le pseries guest, run as root; skipped (with the reason) anywhere else.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealGuestFactAttribute : FactAttribute
{
    public RealGuestFactAttribute()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.Ppc64le || !Directory.Exists("/proc/device-tree/rtas"))
        {
            Skip = "needs a ppc64le pseries guest (/proc/device-tree/rtas)";
        }
        else if (Environment.UserName != "root")
        {
            Skip = "needs root on the ppc64le guest";
        }
    }
}
