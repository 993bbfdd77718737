using System.Globalization;
using System.Text.Json.Serialization;
using DlparAgent.Qemu;

namespace DlparAgent.Cli.Platform;

/// <summary><c>dlpar platform guest build --json</c>: where the image is, its kernel and its packages.</summary>
internal sealed record GuestImageDocument(string Directory, string KernelRelease, IReadOnlyList<string> Packages,
    [property: JsonPropertyOrder(-1)] bool Ok = true);

/// <summary><c>dlpar platform guest start|stop|status --json</c>.</summary>
internal sealed record GuestStatusDocument(string Directory, int? Pid, string? KernelRelease, double? BootSeconds,
    [property: JsonPropertyOrder(-1)] bool Ok = true)
{
    /// <summary>Ids of the devices management created that QEMU still has (status only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Devices { get; init; }

    /// <summary>The DIMMs QEMU has (status only): a DIMM the guest released is gone from QEMU.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<GuestDimmDocument>? Dimms { get; init; }
}

/// <summary>A DIMM of <c>dlpar platform guest status --json</c>, with the DRC index of its first LMB.</summary>
internal sealed record GuestDimmDocument(string Id, ulong Address, ulong Size, string FirstLmb)
{
    public static GuestDimmDocument Of(QemuDimm dimm) =>
        new(dimm.Id, dimm.Address, dimm.Size, "0x" + dimm.FirstLmbIndex.ToString("x8", CultureInfo.InvariantCulture));
}

/// <summary><c>dlpar platform guest run --json</c>: the command's exit code and its output, which is not JSON itself.</summary>
internal sealed record GuestRunDocument(int ExitCode, string Stdout, string Stderr)
{
    [JsonPropertyOrder(-1)]
    public bool Ok => ExitCode == 0;
}
