using DlparAgent.Core.Failures;

namespace DlparAgent.Emulation.Management;

/// <summary>The platform refused a management request (QEMU reports these as QMP errors).</summary>
public sealed class PlatformException(string message) : DlparAgentException(message)
{
    public override FailureCategory Category => FailureCategory.Refused;
}
