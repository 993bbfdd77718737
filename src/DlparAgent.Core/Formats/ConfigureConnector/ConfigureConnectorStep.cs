namespace DlparAgent.Core.Formats.ConfigureConnector;

/// <summary>
/// What one <c>ibm,configure-connector</c> call returned, read from the work area: a node to
/// enter (2) or a sibling (1) with its name, a property (3) with name and value, a return to the
/// parent (4) or completion (0).
/// </summary>
public sealed record ConfigureConnectorStep(int Status, string? Name, ReadOnlyMemory<byte> Value);
