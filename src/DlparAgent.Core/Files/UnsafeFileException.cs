using DlparAgent.Core.Failures;

namespace DlparAgent.Core.Files;

/// <summary>A state file the agent will not open: of the wrong type, or not the caller's.</summary>
public sealed class UnsafeFileException(string path, string problem) : DlparAgentException($"{path} {problem}")
{
    public string Path { get; } = path;

    public override FailureCategory Category => FailureCategory.Io;
}
