namespace DlparAgent.Linux.Diagnostics;

/// <summary>How one check came out.</summary>
public enum CheckStatus
{
    Ok,

    /// <summary>Works, with a limitation worth knowing.</summary>
    Warning,

    /// <summary>Absent or refused: something will not work.</summary>
    Problem,
}

/// <summary>One finding of <c>dlpar doctor</c>.</summary>
public sealed record DoctorCheck(string Name, CheckStatus Status, string Detail);
