using DlparAgent.Core.Failures;

namespace DlparAgent.Qemu;

/// <summary>A failure of the QEMU reference platform, typed by <see cref="QemuProblem"/>.</summary>
public sealed class QemuException : DlparAgentException
{
    public QemuException(QemuProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
    }

    public QemuProblem Problem { get; }

    /// <summary>QMP refusing a request is a refusal; anything else means QEMU is not there to use.</summary>
    public override FailureCategory Category => Problem == QemuProblem.Refused ? FailureCategory.Refused : FailureCategory.Unavailable;

    /// <summary>For <see cref="QemuProblem.Refused"/>: QMP's error class, e.g. <c>GenericError</c>.</summary>
    public string? ErrorClass { get; init; }
}
