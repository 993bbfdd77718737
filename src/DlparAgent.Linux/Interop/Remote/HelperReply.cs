namespace DlparAgent.Linux.Interop.Remote;

/// <summary>The helper's answer to one call: the call's result, its errno (0 on success) and the bytes it returns.</summary>
public sealed record HelperReply(long Result, int Errno, byte[] Payload);
