namespace DlparAgent.Core.Requests;

/// <summary>
/// Whether Linux's <c>/sys/kernel/dlpar</c> would accept a request text, and what it would act on.
/// </summary>
/// <param name="Accepted">True when the kernel's parser and handler would take the request.</param>
/// <param name="Request">The request the kernel would execute, when accepted.</param>
/// <param name="Reason">Why the kernel refuses it (the kernel answers EINVAL), when not accepted.</param>
public sealed record KernelRequestCheck(bool Accepted, DlparRequest? Request, string? Reason)
{
    public static KernelRequestCheck Accept(DlparRequest request) => new(true, request, null);

    public static KernelRequestCheck Reject(string reason) => new(false, null, reason);
}
