using DlparAgent.Core.Drc;

namespace DlparAgent.Core.Inventory;

/// <summary>A connector a PHB's node describes (one of its slots), and whether the PHB has a node configured for it.</summary>
public sealed record ChildConnector(DrcConnector Connector, bool Owned);
