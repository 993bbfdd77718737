namespace DlparAgent.Core.Drc;

/// <summary>A node that describes connectors, with the connectors it describes.</summary>
public sealed record DrcContainer(string Path, DrcSource Source, IReadOnlyList<DrcConnector> Connectors);
