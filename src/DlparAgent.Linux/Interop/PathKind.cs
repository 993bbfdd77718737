namespace DlparAgent.Linux.Interop;

/// <summary>What a path names, as <c>stat(2)</c> says.</summary>
public enum PathKind
{
    Missing,
    File,
    Directory,

    /// <summary>A device, a FIFO, a socket.</summary>
    Other,
}
