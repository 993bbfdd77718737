using DlparAgent.Core.Drc;

namespace DlparAgent.Core.Engine;

/// <summary>What a query of an I/O connector found (drmgr <c>-Q</c>: 3 nonexistent, 4 not owned, 1 in use, 6 otherwise).</summary>
public sealed record SlotQuery(DrcConnector? Connector, bool Owned, bool InUse)
{
    public bool Exists => Connector is not null;
}
