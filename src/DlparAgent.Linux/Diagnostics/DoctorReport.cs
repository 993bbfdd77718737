namespace DlparAgent.Linux.Diagnostics;

/// <summary>The checks, and what they mean for each kind of operation.</summary>
public sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks, IReadOnlyList<DoctorCheck> Verdicts)
{
    public bool AllOk => Checks.All(c => c.Status != CheckStatus.Problem);
}
