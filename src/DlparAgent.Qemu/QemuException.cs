namespace DlparAgent.Qemu;

/// <summary>A failure of the QEMU reference platform, typed by <see cref="QemuProblem"/>.</summary>
public sealed class QemuException : Exception
{
    public QemuException(QemuProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
    }

    public QemuException()
        : this(QemuProblem.Protocol, "QEMU failed")
    {
    }

    public QemuException(string message)
        : this(QemuProblem.Protocol, message)
    {
    }

    public QemuException(string message, Exception inner)
        : this(QemuProblem.Protocol, message, inner)
    {
    }

    public QemuProblem Problem { get; }

    /// <summary>For <see cref="QemuProblem.Refused"/>: QMP's error class, e.g. <c>GenericError</c>.</summary>
    public string? ErrorClass { get; init; }
}
