using DlparAgent.Core.Failures;

namespace DlparAgent.Core.Engine;

/// <summary>A powered PCI slot senses empty: there is no card to configure (no firmware call failed).</summary>
public sealed class EmptySlotException(string slotName, uint index)
    : DlparAgentException($"No PCI card was detected in the specified slot: {slotName} (0x{index:x8}) senses empty")
{
    public override FailureCategory Category => FailureCategory.Refused;
}
