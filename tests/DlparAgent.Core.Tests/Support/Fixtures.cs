using DlparAgent.Core.Formats;

namespace DlparAgent.Core.Tests.Support;

/// <summary>Real dumps copied beside the tests: QEMU device trees and event logs.</summary>
internal static class Fixtures
{
    public const string CasDtb = "qemu/example-cas.dtb";
    public const string CasDrmemV1Dtb = "qemu/example-cas-drmem-v1.dtb";
    public const string NoCasDtb = "qemu/example-tcg-nocas.dtb";
    public const string MemoryAddEvent = "events/qemu-memory-add-count-nocas.hex";
    public const string MemoryRemoveEvent = "events/qemu-memory-remove-count-indexed.hex";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static byte[] Hex(string name) => HexText.Parse(File.ReadAllText(PathOf(name)));
}
