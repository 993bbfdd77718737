using DlparAgent.Core.Failures;

namespace DlparAgent.Linux;

/// <summary>The real backend cannot do what was asked; <see cref="Problem"/> says why in a way front ends can act on.</summary>
public sealed class LinuxBackendException : DlparAgentException
{
    public LinuxBackendException(LinuxProblem problem, string message, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
    }

    public LinuxProblem Problem { get; }

    public override FailureCategory Category => Problem == LinuxProblem.NotPermitted ? FailureCategory.NotPermitted : FailureCategory.Unavailable;
}
