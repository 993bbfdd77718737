namespace DlparAgent.Core.Kernel;

/// <summary>The Linux errno values the kernel's DLPAR interfaces answer with (asm-generic numbers, shared by x86-64 and powerpc).</summary>
public enum Errno
{
    EPERM = 1,
    ENOENT = 2,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    ENOTDIR = 20,
    EISDIR = 21,
    EINVAL = 22,
    EROFS = 30,
    ERANGE = 34,
    ENOSYS = 38,
    ENODATA = 61,
    EOPNOTSUPP = 95,
}
