namespace DlparAgent.Linux.Kernel;

/// <summary>The kernel's lockdown mode (<c>/sys/kernel/security/lockdown</c>: <c>none [integrity] confidentiality</c>).</summary>
public sealed record Lockdown(string Mode)
{
    public static readonly Lockdown None = new("none");

    /// <summary>Whether /dev/mem and /proc/powerpc/ofdt are closed (integrity and above).</summary>
    public bool Active => Mode is not "none";

    /// <summary>Reads the bracketed mode; a missing file (no securityfs or no LSM) means none.</summary>
    public static Lockdown Read(KernelFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        string? text = files.ReadText("/sys/kernel/security/lockdown");
        if (text is null)
        {
            return None;
        }

        int open = text.IndexOf('[', StringComparison.Ordinal), close = text.IndexOf(']', StringComparison.Ordinal);
        return open >= 0 && close > open ? new Lockdown(text[(open + 1)..close]) : None;
    }
}
