namespace DlparAgent.Core.Drc;

/// <summary>Which device-tree description a container node's connectors came from.</summary>
public enum DrcSource
{
    /// <summary>The four classic arrays (<c>ibm,drc-indexes</c> and friends).</summary>
    Arrays,

    /// <summary><c>ibm,drc-info</c>.</summary>
    DrcInfo,
}
