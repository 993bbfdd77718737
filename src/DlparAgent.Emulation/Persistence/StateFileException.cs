namespace DlparAgent.Emulation.Persistence;

/// <summary>The state directory or file cannot be used: missing, foreign, damaged, from a newer version, or locked too long.</summary>
public sealed class StateFileException(string message, Exception? inner = null) : Exception(message, inner);
