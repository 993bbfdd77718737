namespace DlparAgent.Core.Kernel;

/// <summary>An NX accelerator type's QoS credits: the total the partition may use and how many its open windows hold.</summary>
public sealed record AcceleratorCredits(int Total, int Used);
