namespace DlparAgent.Cli.Agent;

/// <summary><c>dlpar doctor --json</c>: every check, and whether each kind of DLPAR will work.</summary>
internal sealed record DoctorDocument(bool Ok, IReadOnlyList<DoctorCheckDocument> Checks, IReadOnlyList<DoctorCheckDocument> Works);

/// <summary>One check or verdict: its name, <c>ok|warning|problem</c> and what was found.</summary>
internal sealed record DoctorCheckDocument(string Name, string Status, string Detail);
