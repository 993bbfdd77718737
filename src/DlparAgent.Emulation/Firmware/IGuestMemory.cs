namespace DlparAgent.Emulation.Firmware;

/// <summary>Guest real memory as raw RTAS calls address it (work areas, event buffers).</summary>
public interface IGuestMemory
{
    /// <summary>The bytes at [<paramref name="address"/>, +<paramref name="length"/>), or false when that range is not memory.</summary>
    bool TryGetSpan(ulong address, int length, out Span<byte> span);
}
