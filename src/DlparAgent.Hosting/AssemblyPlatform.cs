// dlpar drives Linux interfaces (rtas syscall, /sys, /proc, POSIX record locks): it is a Linux program.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
