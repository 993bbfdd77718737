namespace DlparAgent.Core.Tracing;

/// <summary>The calls recorded by the tracing decorators, in the order they were made.</summary>
/// <param name="observer">Told of each step as it is recorded (drmgr logs its kernel requests so).</param>
public sealed class OperationTrace(Action<TraceStep>? observer = null)
{
    private readonly List<TraceStep> _steps = [];

    public IReadOnlyList<TraceStep> Steps => _steps;

    internal void Add(TraceStep step)
    {
        _steps.Add(step);
        observer?.Invoke(step);
    }
}
