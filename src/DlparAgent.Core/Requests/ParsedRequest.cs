namespace DlparAgent.Core.Requests;

/// <summary>A request read in the agent's grammar, with the kernel's verdict on the same text.</summary>
public sealed record ParsedRequest(DlparRequest Request, KernelRequestCheck Kernel)
{
    /// <summary>The request in normalized form (single spaces, <c>0x</c> indexes, quoted names).</summary>
    public string Normalized => Request.ToString();
}
