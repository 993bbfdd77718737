using System.Runtime.InteropServices;
using DlparAgent.Core.Failures;
using DlparAgent.Core.Kernel;

namespace DlparAgent.Linux.Interop;

/// <summary>A system call failed: which one, on what, and the errno (also the <see cref="Exception.HResult"/>).</summary>
public sealed class NativeCallException : DlparAgentException
{
    public NativeCallException(string call, string? target, int errno)
        : base($"{call}{(target is null ? string.Empty : " " + target)}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        HResult = errno;
        Call = call;
        Target = target;
        Errno = errno;
    }

    public string Call { get; }

    public string? Target { get; }

    public int Errno { get; }

    public override FailureCategory Category => Errno is 1 or 13 ? FailureCategory.NotPermitted : FailureCategory.Io;

    /// <summary>The errno as the engine's enumeration, when it is one the engine knows.</summary>
    public Errno? KnownErrno => Enum.IsDefined((Errno)Errno) ? (Errno)Errno : null;

    internal static NativeCallException FromLastError(string call, string? target) => new(call, target, Marshal.GetLastPInvokeError());
}
