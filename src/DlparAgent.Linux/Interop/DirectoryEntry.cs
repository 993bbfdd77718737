namespace DlparAgent.Linux.Interop;

/// <summary>One entry of a directory listing, with its <c>d_type</c>: whether it is a directory or a link (not followed).</summary>
public readonly record struct DirectoryEntry(string Name, bool IsDirectory, bool IsLink);
