namespace DlparAgent.Core.Resources;

/// <summary>The request targets a resource type takes.</summary>
[Flags]
public enum ResourceTargets
{
    None = 0,
    Count = 1,
    Index = 2,
    IndexedCount = 4,
    Name = 8,
}
