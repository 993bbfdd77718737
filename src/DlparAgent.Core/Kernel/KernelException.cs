using DlparAgent.Core.Failures;
using DlparAgent.Core.Rtas;

namespace DlparAgent.Core.Kernel;

/// <summary>A kernel interface refused a write or read, with the errno it answered.</summary>
public sealed class KernelException(Errno errno, string message) : DlparAgentException($"{message}: {Describe(errno)}")
{
    public override FailureCategory Category => FailureCategory.Refused;

    public Errno Errno { get; } = errno;

    public static string Describe(Errno errno) => errno switch
    {
        Errno.EPERM => "Operation not permitted",
        Errno.ENOENT => "No such file or directory",
        Errno.EIO => "Input/output error",
        Errno.ENOMEM => "Cannot allocate memory",
        Errno.EFAULT => "Bad address",
        Errno.EBUSY => "Device or resource busy",
        Errno.EEXIST => "File exists",
        Errno.ENODEV => "No such device",
        Errno.EINVAL => "Invalid argument",
        Errno.ERANGE => "Numerical result out of range",
        Errno.EINTR => "Interrupted system call",
        Errno.ENXIO => "No such device or address",
        Errno.EBADF => "Bad file descriptor",
        Errno.EAGAIN => "Resource temporarily unavailable",
        Errno.EACCES => "Permission denied",
        Errno.ENOTDIR => "Not a directory",
        Errno.EISDIR => "Is a directory",
        Errno.EROFS => "Read-only file system",
        Errno.ENOSYS => "Function not implemented",
        Errno.ENODATA => "No data available",
        Errno.EOPNOTSUPP => "Operation not supported",
        _ => $"errno {(int)errno}",
    };

    /// <summary>Linux <c>rtas_error_rc()</c>: how the kernel turns an RTAS status into an errno.</summary>
    public static Errno FromRtas(RtasStatus status) => status.Value switch
    {
        -1 => Errno.EIO,
        -3 => Errno.EINVAL,
        -9000 => Errno.EFAULT,
        -9001 => Errno.EEXIST,
        -9002 => Errno.ENODEV,
        _ => Errno.ERANGE,
    };
}
