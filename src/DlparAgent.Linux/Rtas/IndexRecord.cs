namespace DlparAgent.Linux.Rtas;

/// <summary>One indicator or sensor from <c>ibm,get-indices</c>: its index (0xFFFFFFFF: dynamic, use the location code) and location code.</summary>
public sealed record IndexRecord(uint Index, string LocationCode)
{
    public const uint Dynamic = 0xFFFFFFFF;
}
