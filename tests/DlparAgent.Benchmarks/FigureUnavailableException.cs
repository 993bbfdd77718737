namespace DlparAgent.Benchmarks;

/// <summary>A figure cannot be measured here (a tool or binary is missing, a run failed): the program says why and exits non-zero.</summary>
internal sealed class FigureUnavailableException(string message) : Exception(message);
