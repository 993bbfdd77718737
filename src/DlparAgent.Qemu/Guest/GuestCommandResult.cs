namespace DlparAgent.Qemu.Guest;

/// <summary>What a command run in the guest printed on stdout and stderr, and how it exited.</summary>
public sealed record GuestCommandResult(int ExitCode, string Out, string Error);
