namespace DlparAgent.Fuzz;

/// <summary>
/// One parser under the fuzzer: it gets arbitrary bytes and may refuse them only with the errors
/// it documents; any other exception, a hang or a crash is a finding.
/// </summary>
public sealed record FuzzTarget(string Name, string Description, Action<byte[]> Run);
