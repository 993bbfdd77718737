namespace DlparAgent.Linux.Rtas;

/// <summary>Pages of the RTAS user region held by this process: their physical address (for RTAS) and mapping (for us).</summary>
public sealed unsafe class RmoWorkArea : IDisposable
{
    private readonly RmoRegion _region;
    private bool _freed;

    internal RmoWorkArea(RmoRegion region, int firstPage, int pageCount, uint physicalAddress, nint address)
    {
        _region = region;
        FirstPage = firstPage;
        PageCount = pageCount;
        PhysicalAddress = physicalAddress;
        Address = address;
    }

    public int FirstPage { get; }

    public int PageCount { get; }

    /// <summary>What RTAS is given (a 32-bit real address).</summary>
    public uint PhysicalAddress { get; }

    internal nint Address { get; }

    public Span<byte> Bytes => _freed ? throw new ObjectDisposedException(nameof(RmoWorkArea)) : new Span<byte>((void*)Address, PageCount * RmoRegion.PageSize);

    public void Dispose()
    {
        if (!_freed)
        {
            _freed = true;
            _region.Free(this);
        }
    }
}
