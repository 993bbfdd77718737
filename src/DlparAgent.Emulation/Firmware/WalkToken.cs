namespace DlparAgent.Emulation.Firmware;

internal enum WalkTokenKind
{
    BeginNode,
    Property,
    EndNode,
}

/// <summary>One step of a flattened fragment, as configure-connector returns them one per call.</summary>
internal readonly record struct WalkToken(WalkTokenKind Kind, string Name, byte[] Value);
