namespace DlparAgent.Core.Rtas;

/// <summary>A status with the one value the service returned beside it (a sensor state, a power level).</summary>
public readonly record struct RtasResult(RtasStatus Status, uint Value);
