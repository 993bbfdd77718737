namespace DlparAgent.Core.Tracing;

/// <summary>The calls recorded by the tracing decorators, in the order they were made.</summary>
public sealed class OperationTrace
{
    private readonly List<TraceStep> _steps = [];

    public IReadOnlyList<TraceStep> Steps => _steps;

    internal void Add(TraceStep step) => _steps.Add(step);
}
