namespace DlparAgent.Emulation.Machine;

/// <summary>One entry of the machine-wide event FIFO: the kind and the complete event log.</summary>
public sealed record QueuedEvent(EventKind Kind, byte[] Log);
