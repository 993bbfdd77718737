namespace DlparAgent.Core.Files;

/// <summary>The type of a file, as <c>S_IFMT</c> tells it.</summary>
public enum FileKind
{
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    Socket,
    Device,
    Other,
}
