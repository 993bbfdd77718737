namespace DlparAgent.Linux.Interop;

/// <summary>How a file is opened, independent of any architecture's <c>O_*</c> numbers.</summary>
[Flags]
public enum OpenMode
{
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
    Create = 4,
    Sync = 8,
    NonBlocking = 16,
}
