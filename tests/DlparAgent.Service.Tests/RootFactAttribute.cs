namespace DlparAgent.Service.Tests;

/// <summary>A test that needs root and unshare(1) (a PID namespace); skipped, with the reason, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/unshare"))
        {
            Skip = "needs root and /usr/bin/unshare for a PID namespace";
        }
    }
}
