namespace DlparAgent.Emulation.Firmware;

/// <summary>One contiguous region of guest memory at a base address (an RMO buffer, say).</summary>
public sealed class GuestMemory(ulong baseAddress, int size) : IGuestMemory
{
    private readonly byte[] _bytes = new byte[size];

    public ulong BaseAddress { get; } = baseAddress;

    public Span<byte> Bytes => _bytes;

    public bool TryGetSpan(ulong address, int length, out Span<byte> span)
    {
        span = default;
        if (length < 0 || address < BaseAddress || address - BaseAddress > (ulong)_bytes.Length
            || (ulong)length > (ulong)_bytes.Length - (address - BaseAddress))
        {
            return false;
        }

        span = _bytes.AsSpan((int)(address - BaseAddress), length);
        return true;
    }
}
