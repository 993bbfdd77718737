namespace DlparAgent.Linux.Interop.Remote;

/// <summary>The calls the in-guest helper carries out (the numbers of its protocol).</summary>
public enum HelperOperation : uint
{
    Open = 1,
    Close,
    Read,
    Write,
    ReadAt,
    WriteAt,
    Ioctl,
    Lock,
    Rtas,
    Stat,
    ReadLink,
    ListDirectory,
    ReadFile,
    CreateDirectory,
    EffectiveUserId,

    /// <summary>A new client: the helper closes what earlier clients left open (their locks go with it).</summary>
    Reset,
}
