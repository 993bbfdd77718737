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
}
