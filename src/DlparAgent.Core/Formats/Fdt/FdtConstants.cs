namespace DlparAgent.Core.Formats.Fdt;

/// <summary>Numbers of the flattened device tree format (devicetree specification, "Flattened Devicetree Format").</summary>
internal static class FdtConstants
{
    public const uint Magic = 0xD00DFEED;
    public const uint Version = 17;
    public const uint LastCompatibleVersion = 16;
    public const int HeaderSize = 40;
    public const int HeaderSizeV16 = 36;

    public const uint BeginNode = 1;
    public const uint EndNode = 2;
    public const uint Prop = 3;
    public const uint Nop = 4;
    public const uint End = 9;

    /// <summary>Deeper nesting than any real tree; bounds recursion on hostile input.</summary>
    public const int MaxDepth = 64;
}
